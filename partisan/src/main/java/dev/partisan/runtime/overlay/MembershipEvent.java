package dev.partisan.runtime.overlay;

import dev.partisan.runtime.NodeId;

/** A change in what this node knows of the cluster. */
public sealed interface MembershipEvent {
  NodeId node();

  /** A member joined (or a new incarnation of one appeared). */
  record Joined(NodeId node) implements MembershipEvent {}

  /** A member left for good. */
  record Left(NodeId node) implements MembershipEvent {}

  /** A member stopped answering within the detection time. */
  record Down(NodeId node) implements MembershipEvent {}

  /** A member that was down answers again. */
  record Up(NodeId node) implements MembershipEvent {}
}
