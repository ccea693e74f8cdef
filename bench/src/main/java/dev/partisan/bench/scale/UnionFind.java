package dev.partisan.bench.scale;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Connected components of the undirected neighbour graph. */
final class UnionFind {
  private final Map<String, Integer> index = new HashMap<>();
  private final int[] parent;

  UnionFind(List<String> names) {
    parent = new int[names.size()];
    for (int i = 0; i < names.size(); i++) {
      index.put(names.get(i), i);
      parent[i] = i;
    }
  }

  private int find(int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  void union(String a, String b) {
    Integer ia = index.get(a);
    Integer ib = index.get(b);
    if (ia != null && ib != null) {
      parent[find(ia)] = find(ib);
    }
  }

  long components() {
    return IntStream.range(0, parent.length).filter(i -> find(i) == i).count();
  }
}
