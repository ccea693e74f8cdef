package dev.partisan.runtime;

import dev.partisan.runtime.channel.ChannelSpec;

/**
 * How to send: on which channel, with which partition key (picks the lane; same key, same lane,
 * order kept), and from which actor (so the receiver can reply).
 */
public record SendOptions(String channel, Object partitionKey, ActorRef sender) {
  public static final SendOptions DEFAULT = new SendOptions(ChannelSpec.DEFAULT, null, null);

  public static SendOptions on(String channel) {
    return new SendOptions(channel, null, null);
  }

  public SendOptions key(Object partitionKey) {
    return new SendOptions(channel, partitionKey, sender);
  }

  public SendOptions from(ActorRef sender) {
    return new SendOptions(channel, partitionKey, sender);
  }
}
