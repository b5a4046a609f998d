"""ortools-solve: the second peer `scripts/bench matching` measures the exact assigner against.

Reads an instance in the format of `charity-match solve` (needs.csv, offers.csv, edges.csv,
and households.csv when needs carry a household column), builds the same min-cost flow
network the exact assigner builds (household -> need -> offer -> sink, and need -> sink for
units left unserved) and solves it with OR-Tools' SimpleMinCostFlow. Prints one JSON line:
the objective in millionths and the seconds of reading and of building plus solving.

Usage: ortools-solve.py DIR
"""

import json
import resource
import sys
import time

import numpy as np
import pandas as pd
from ortools.graph.python import min_cost_flow


def main(directory: str) -> None:
    started = time.perf_counter()
    needs = pd.read_csv(f"{directory}/needs.csv", dtype={"need_id": np.int64, "qty": np.int64})
    offers = pd.read_csv(f"{directory}/offers.csv", dtype={"offer_id": np.int64, "cap": np.int64})
    edges = pd.read_csv(f"{directory}/edges.csv", dtype={"need_id": np.int64, "offer_id": np.int64, "score": str})
    score = edges["score"].str.replace(".", "", regex=False).astype(np.int64).to_numpy()
    need_index = pd.Index(needs["need_id"]).get_indexer(edges["need_id"])
    offer_index = pd.Index(offers["offer_id"]).get_indexer(edges["offer_id"])
    if (need_index < 0).any() or (offer_index < 0).any():
        sys.exit("ortools-solve: edge with an unknown id")
    quantity = needs["qty"].to_numpy()
    capacity = offers["cap"].to_numpy()
    household_of_need = np.full(len(needs), -1, dtype=np.int64)
    household_cap = np.zeros(0, dtype=np.int64)
    if "household_id" in needs.columns:
        households = pd.read_csv(f"{directory}/households.csv", dtype={"household_id": np.int64, "cap": np.int64})
        has_household = needs["household_id"].notna().to_numpy()
        ids = needs["household_id"].to_numpy()
        household_of_need[has_household] = pd.Index(households["household_id"]).get_indexer(
            ids[has_household].astype(np.int64))
        household_cap = households["cap"].to_numpy()
    read_seconds = time.perf_counter() - started

    started = time.perf_counter()
    # Nodes: sink 0, households, needs, offers.
    household_base = 1
    need_base = household_base + len(household_cap)
    offer_base = need_base + len(needs)
    node_count = offer_base + len(offers)
    need_nodes = need_base + np.arange(len(needs))
    offer_nodes = offer_base + np.arange(len(offers))
    bound = household_of_need >= 0
    tails = [need_nodes, offer_nodes, household_base + household_of_need[bound], need_nodes[need_index]]
    heads = [np.zeros(len(needs), np.int64), np.zeros(len(offers), np.int64), need_nodes[bound],
             offer_nodes[offer_index]]
    capacities = [quantity, capacity, quantity[bound], np.minimum(quantity[need_index], capacity[offer_index])]
    costs = [np.zeros(len(needs), np.int64), np.zeros(len(offers), np.int64), np.zeros(bound.sum(), np.int64),
             -score]
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails), np.concatenate(heads), np.concatenate(capacities), np.concatenate(costs))
    supplies = np.zeros(node_count, np.int64)
    supplies[need_nodes[~bound]] = quantity[~bound]
    demand = np.bincount(household_of_need[bound], weights=quantity[bound], minlength=len(household_cap))
    supplies[household_base:need_base] = np.minimum(household_cap, demand.astype(np.int64))
    supplies[0] = -supplies.sum()
    flow.set_nodes_supplies(np.arange(node_count), supplies)
    if flow.solve() != flow.OPTIMAL:
        sys.exit("ortools-solve: no optimal flow")
    objective = -flow.optimal_cost()
    solve_seconds = time.perf_counter() - started

    print(json.dumps({
        "method": "ortools", "needs": len(needs), "offers": len(offers), "edges": len(edges),
        "objective_micro": int(objective), "seconds": {"read": read_seconds, "solve": solve_seconds},
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }, separators=(",", ":")))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: ortools-solve.py DIR")
    main(sys.argv[1])
