package io.ravenpost.bench.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A JVM's CPU split by kind of thread, as the names Linux keeps (15 characters) say. */
class ThreadCpuTest {
  @Test
  void threadNamesFallIntoTheirKinds() {
    assertThat(ThreadCpu.kind("vert.x-eventloo")).isEqualTo(ThreadCpu.EVENT_LOOPS);
    assertThat(ThreadCpu.kind("C2 CompilerThre")).isEqualTo(ThreadCpu.JIT);
    assertThat(ThreadCpu.kind("C1 CompilerThre")).isEqualTo(ThreadCpu.JIT);
    assertThat(ThreadCpu.kind("GC Thread#0")).isEqualTo(ThreadCpu.GC);
    assertThat(ThreadCpu.kind("G1 Conc#0")).isEqualTo(ThreadCpu.GC);
    assertThat(ThreadCpu.kind("hz.bench.cached")).isEqualTo(ThreadCpu.OTHER);
  }

  @Test
  void thisJvmHasSpentCpuOnItsThreads() {
    long spin = 0;
    for (long end = System.nanoTime() + 100_000_000L; System.nanoTime() < end; ) {
      spin++;
    }
    Map<String, Long> cpu = ThreadCpu.of(ProcessHandle.current().pid());

    assertThat(spin).isPositive();
    assertThat(cpu).containsOnlyKeys(ThreadCpu.EVENT_LOOPS, ThreadCpu.JIT, ThreadCpu.GC, ThreadCpu.OTHER);
    assertThat(cpu.get(ThreadCpu.OTHER)).as("the main thread spun 100 ms").isPositive();
    assertThat(ThreadCpu.of(-1)).isEmpty();
  }
}
