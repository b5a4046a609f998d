import Crypto
import Dispatch
import Foundation
import Matching
import Synchronization

/// Renders an instance's CSV files and their SHA-256 on a background thread, so the work
/// overlaps with writing the run's proposals.
final class InstanceRendering: Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Written once, before `done` is signalled.
    private let output = Mutex((InstanceCSV.Files(needs: [], offers: [], edges: []), ""))

    init(_ problem: TransportationProblem) {
        DispatchQueue.global().async { [self] in
            let files = InstanceCSV.render(problem)
            var digest = SHA256()
            for bytes in [files.needs, files.offers, files.edges, files.households ?? []] { digest.update(data: bytes) }
            let fingerprint = digest.finalize().map { String(format: "%02x", $0) }.joined()
            output.withLock { $0 = (files, fingerprint) }
            done.signal()
        }
    }

    /// The files and the hex fingerprint; waits for the rendering to finish. Call it once.
    func result() -> (InstanceCSV.Files, String) {
        done.wait()
        return output.withLock { $0 }
    }
}
