package io.caucus.web;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.spi.JsonProvider;
import java.io.Reader;
import java.util.Map;

/**
 * The one JSON-P provider and factories of the web layer, looked up once per class loader.
 *
 * <p>Why: every static {@code jakarta.json.Json.createXxx} call runs {@link
 * JsonProvider#provider()}, which is a {@code ServiceLoader} scan of the class path; on the append
 * path that scan was the largest cost of a request (issue 15's profile, see BENCHMARKS.md). The
 * factories are created without configuration, so they behave exactly like the statics.
 *
 * <p>Thread safety: JSON-P factories are thread safe; the readers and builders they create are not
 * and stay confined to the request that made them.
 */
final class JsonFactories {

  private static final JsonProvider PROVIDER = JsonProvider.provider();
  private static final JsonReaderFactory READERS = PROVIDER.createReaderFactory(Map.of());
  private static final JsonBuilderFactory BUILDERS = PROVIDER.createBuilderFactory(Map.of());

  private JsonFactories() {}

  /** A reader over {@code in}, like {@code Json.createReader}. */
  static JsonReader reader(Reader in) {
    return READERS.createReader(in);
  }

  /** An empty object builder, like {@code Json.createObjectBuilder()}. */
  static JsonObjectBuilder object() {
    return BUILDERS.createObjectBuilder();
  }

  /** An empty array builder, like {@code Json.createArrayBuilder()}. */
  static JsonArrayBuilder array() {
    return BUILDERS.createArrayBuilder();
  }
}
