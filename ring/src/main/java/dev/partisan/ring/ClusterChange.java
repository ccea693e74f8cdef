package dev.partisan.ring;

/** One staged membership change, as {@code riak-admin cluster join|leave|remove} stage them. */
public sealed interface ClusterChange {
  String node();

  /** Add {@code node}; it becomes {@link MemberStatus#JOINING} and receives its share. */
  record Join(String node) implements ClusterChange {
    public Join {
      RingState.checkNodeName(node);
    }
  }

  /** Hand {@code node}'s partitions off, then let it exit; its data is moved, not lost. */
  record Leave(String node) implements ClusterChange {
    public Leave {
      RingState.checkNodeName(node);
    }
  }

  /**
   * Drop {@code node} at once, e.g. because it is gone for good: its partitions are reassigned
   * without handoff, so their replicas on it are lost and must be rebuilt from other replicas.
   */
  record Remove(String node) implements ClusterChange {
    public Remove {
      RingState.checkNodeName(node);
    }
  }
}
