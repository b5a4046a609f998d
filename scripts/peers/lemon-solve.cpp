// lemon-solve: the peer `scripts/bench matching` measures the exact assigner against.
//
// Reads an instance in the format of `charity-match solve` (needs.csv, offers.csv,
// edges.csv, and households.csv when needs carry a household column), builds the same
// min-cost flow network the exact assigner builds (household → need → offer → sink, and
// need → sink for units left unserved) and solves it with LEMON's network simplex.
// Prints one JSON line: the objective in millionths and the seconds of reading and of
// building plus solving, so both sides are timed from parsed rows to the optimum.
//
// Usage: lemon-solve DIR
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

[[noreturn]] void fail(const std::string &message) {
    std::cerr << "lemon-solve: " << message << "\n";
    std::exit(2);
}

std::string slurp(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The rows of a CSV file of numbers, header skipped; a score column "0.123456" is read as
// millionths.
std::vector<std::vector<int64_t>> rows(const std::string &path) {
    std::string text = slurp(path);
    std::vector<std::vector<int64_t>> result;
    size_t position = text.find('\n');
    if (position == std::string::npos) return result;
    ++position;
    std::vector<int64_t> row;
    int64_t value = 0;
    int fraction = -1;
    bool any = false;
    for (; position <= text.size(); ++position) {
        char c = position < text.size() ? text[position] : '\n';
        if (c >= '0' && c <= '9') {
            value = value * 10 + (c - '0');
            if (fraction >= 0) ++fraction;
            any = true;
        } else if (c == '.') {
            fraction = 0;
        } else if (c == ',' || c == '\n') {
            if (any || c == ',') {
                if (fraction >= 0)
                    while (fraction++ < 6) value *= 10;
                row.push_back(value);
            }
            value = 0;
            fraction = -1;
            any = false;
            if (c == '\n' && !row.empty()) {
                result.push_back(row);
                row.clear();
            }
        } else if (c != '\r') {
            fail("unexpected character in " + path);
        }
    }
    return result;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char **argv) {
    if (argc != 2) fail("usage: lemon-solve DIR");
    const std::string dir = argv[1];
    auto started = std::chrono::steady_clock::now();
    auto needs = rows(dir + "/needs.csv");
    auto offers = rows(dir + "/offers.csv");
    auto edges = rows(dir + "/edges.csv");
    std::vector<std::vector<int64_t>> households;
    bool withHouseholds = !needs.empty() && needs[0].size() > 2;
    if (withHouseholds) households = rows(dir + "/households.csv");
    // Ids become dense indices before the clock for solving starts, as the assigner's
    // canonical problem is built while reading.
    std::unordered_map<int64_t, int64_t> needIndex, offerIndex, householdIndex;
    std::vector<int64_t> needHousehold(needs.size(), -1), householdSupply;
    for (size_t need = 0; need < needs.size(); ++need) {
        needIndex[needs[need][0]] = static_cast<int64_t>(need);
        if (withHouseholds && needs[need].size() > 2) {
            auto inserted = householdIndex.emplace(needs[need][2], static_cast<int64_t>(householdIndex.size()));
            needHousehold[need] = inserted.first->second;
        }
    }
    for (size_t offer = 0; offer < offers.size(); ++offer) offerIndex[offers[offer][0]] = static_cast<int64_t>(offer);
    householdSupply.assign(householdIndex.size(), -1);
    for (auto &row : households) {
        auto found = householdIndex.find(row[0]);
        if (found != householdIndex.end()) householdSupply[found->second] = row[1];
    }
    std::vector<int64_t> edgeNeed(edges.size()), edgeOffer(edges.size()), edgeScore(edges.size());
    for (size_t edge = 0; edge < edges.size(); ++edge) {
        auto need = needIndex.find(edges[edge][0]);
        auto offer = offerIndex.find(edges[edge][1]);
        if (need == needIndex.end() || offer == offerIndex.end()) fail("edge with an unknown id");
        edgeNeed[edge] = need->second;
        edgeOffer[edge] = offer->second;
        edgeScore[edge] = edges[edge][2];
    }
    double readSeconds = seconds_since(started);

    started = std::chrono::steady_clock::now();
    using Graph = lemon::SmartDigraph;
    Graph graph;
    Graph::ArcMap<int64_t> capacity(graph), cost(graph);
    Graph::NodeMap<int64_t> supply(graph);
    auto addArc = [&](Graph::Node tail, Graph::Node head, int64_t cap, int64_t unitCost) {
        Graph::Arc arc = graph.addArc(tail, head);
        capacity[arc] = cap;
        cost[arc] = unitCost;
    };
    Graph::Node sink = graph.addNode();
    std::vector<Graph::Node> needNode, offerNode, householdNode;
    std::vector<int64_t> householdDemand(householdSupply.size(), 0);
    for (size_t household = 0; household < householdSupply.size(); ++household) {
        if (householdSupply[household] < 0) fail("household without a cap");
        householdNode.push_back(graph.addNode());
    }
    int64_t totalSupply = 0;
    for (size_t need = 0; need < needs.size(); ++need) {
        Graph::Node node = graph.addNode();
        needNode.push_back(node);
        addArc(node, sink, needs[need][1], 0);
        if (needHousehold[need] >= 0) {
            addArc(householdNode[needHousehold[need]], node, needs[need][1], 0);
            householdDemand[needHousehold[need]] += needs[need][1];
        } else {
            supply[node] = needs[need][1];
            totalSupply += needs[need][1];
        }
    }
    for (size_t household = 0; household < householdNode.size(); ++household) {
        int64_t amount = std::min(householdSupply[household], householdDemand[household]);
        supply[householdNode[household]] = amount;
        totalSupply += amount;
    }
    for (auto &row : offers) {
        offerNode.push_back(graph.addNode());
        addArc(offerNode.back(), sink, row[1], 0);
    }
    for (size_t edge = 0; edge < edges.size(); ++edge) {
        addArc(needNode[edgeNeed[edge]], offerNode[edgeOffer[edge]],
               std::min(needs[edgeNeed[edge]][1], offers[edgeOffer[edge]][1]), -edgeScore[edge]);
    }
    supply[sink] = -totalSupply;
    lemon::NetworkSimplex<Graph, int64_t, int64_t> simplex(graph);
    simplex.upperMap(capacity).costMap(cost).supplyMap(supply);
    if (simplex.run() != lemon::NetworkSimplex<Graph, int64_t, int64_t>::OPTIMAL) fail("no optimal flow");
    int64_t objective = -simplex.totalCost<int64_t>();
    double solveSeconds = seconds_since(started);

    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    std::printf(
        "{\"method\":\"lemon-ns\",\"needs\":%zu,\"offers\":%zu,\"edges\":%zu,\"objective_micro\":%lld,"
        "\"seconds\":{\"read\":%.6f,\"solve\":%.6f},\"peak_rss_mb\":%ld}\n",
        needs.size(), offers.size(), edges.size(), static_cast<long long>(objective), readSeconds, solveSeconds,
        usage.ru_maxrss / 1024);
    return 0;
}
