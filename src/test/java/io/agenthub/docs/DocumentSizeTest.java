package io.agenthub.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The documents stay short enough to be read: README is a newcomer's page (details live in docs/), and the figures
 * pages state the present, so a superseded figure is replaced rather than appended to.
 */
class DocumentSizeTest {

  @ParameterizedTest
  @CsvSource({"README.md, 200", "BENCHMARKS.md, 300", "RELIABILITY.md, 300"})
  void aDocumentStaysWithinItsLength(String document, int maxLines) throws IOException {
    long lines = Files.readAllLines(Path.of(document)).size();
    assertTrue(lines <= maxLines, document + " has " + lines + " lines; at most " + maxLines);
  }
}
