package io.ravenpost.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Multi-row statements come in a few sizes whatever the batch: each connection then prepares each
 * shape once, where a size per batch made the server describe thousands of parameters per batch.
 */
class SqlKeysTest {
  @Test
  void everyRowIsWrittenOnceInStatementsOfElevenSizesAtMost() {
    Set<Integer> shapes = new HashSet<>();
    for (int n = 0; n <= 5000; n++) {
      List<Integer> sizes = SqlKeys.chunks(n, 1024);
      assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).as("rows of %d", n).isEqualTo(n);
      sizes.forEach(size -> assertThat(Integer.bitCount(size)).as("a power of two").isEqualTo(1));
      assertThat(sizes).allMatch(size -> size <= 1024);
      shapes.addAll(sizes);
    }
    assertThat(shapes).hasSizeLessThanOrEqualTo(11);
    assertThat(SqlKeys.chunks(3840, 1024)).containsExactly(1024, 1024, 1024, 512, 256);
  }
}
