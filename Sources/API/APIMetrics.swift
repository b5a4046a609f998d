import Prometheus

/// The request metrics `/metrics` exposes in Prometheus text: a counter and a latency
/// histogram per method, route template and status. Routes are templates
/// (`/v1/offers/{id}`), so the label set stays small whatever the traffic.
public struct APIMetrics: Sendable {
    let registry: PrometheusCollectorRegistry

    private static var requests: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "charity_match", metricName: "http_requests", unitName: "total",
            helpText: "HTTP requests answered, by method, route and status.")
    }
    private static var latency: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "charity_match", metricName: "http_request_duration", unitName: "seconds",
            helpText: "Time to answer an HTTP request, by method and route.")
    }
    private static let buckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
    ]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    func record(method: String, route: String, status: Int, elapsed: Duration) {
        registry.makeCounter(
            descriptor: Self.requests, labels: [("method", method), ("route", route), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: Self.latency, labels: [("method", method), ("route", route)], buckets: Self.buckets
        ).record(elapsed)
    }

    /// The exposition text.
    func render() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
