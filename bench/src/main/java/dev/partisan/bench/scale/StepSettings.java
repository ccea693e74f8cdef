package dev.partisan.bench.scale;

import java.io.PrintStream;
import java.time.Duration;

/** What every step of a run shares. */
record StepSettings(
    Duration convergeBudget,
    Duration deliveryTimeout,
    int pairs,
    int joinConcurrency,
    int eventLoops,
    int timerThreads,
    long seed,
    boolean countMessages,
    PrintStream progress) {}
