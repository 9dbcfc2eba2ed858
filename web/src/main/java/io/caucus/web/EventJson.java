package io.caucus.web;

import io.caucus.api.CaucusException;
import io.caucus.api.EventMessage;
import io.caucus.error.ErrorCode;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Axon Server SE's JSON shape of an event, both ways: {@code {messageIdentifier,
 * aggregateIdentifier, aggregateSequenceNumber, aggregateType, timestamp, payload: {type, revision,
 * data}, metaData}}. Parsing checks every field's type and answers a malformed body with {@code
 * INVALID_REQUEST} naming the field; it never throws anything else.
 */
final class EventJson {

  /**
   * Deepest nesting of objects and arrays a request body may have. An event needs 3 levels plus
   * whatever its payload data holds; the parser recurses per level, so without a bound a deeply
   * nested body overflows the request thread's stack.
   */
  static final int MAX_DEPTH = 64;

  private EventJson() {}

  /** Parses a request body into a JSON object, or throws INVALID_REQUEST. */
  static JsonObject parseObject(String body) {
    if (body == null || body.isBlank()) {
      throw invalid("the request body is empty; send a JSON object");
    }
    checkDepth(body);
    try (JsonReader reader = JsonFactories.reader(new StringReader(body))) {
      JsonValue v = reader.readValue();
      if (v.getValueType() != JsonValue.ValueType.OBJECT) {
        throw invalid("the request body must be a JSON object");
      }
      return v.asJsonObject();
    } catch (JsonParsingException e) {
      throw invalid("the request body is not valid JSON: " + e.getMessage());
    } catch (jakarta.json.JsonException e) {
      throw invalid("the request body is not valid JSON: " + e.getMessage());
    }
  }

  /** Refuses a body nested deeper than {@link #MAX_DEPTH}, in one pass before parsing. */
  static void checkDepth(String body) {
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        if (++depth > MAX_DEPTH) {
          throw invalid(
              "the request body nests objects and arrays deeper than "
                  + MAX_DEPTH
                  + " levels; flatten it");
        }
      } else if (c == '}' || c == ']') {
        depth--;
      }
    }
  }

  /** The events of {@code {messages: [...]}}. */
  static List<EventMessage> messages(JsonObject body) {
    JsonValue messages = body.get("messages");
    if (messages == null || messages.getValueType() != JsonValue.ValueType.ARRAY) {
      throw invalid("'messages' must be an array of events");
    }
    JsonArray array = messages.asJsonArray();
    List<EventMessage> events = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonValue v = array.get(i);
      if (v.getValueType() != JsonValue.ValueType.OBJECT) {
        throw invalid("messages[" + i + "] must be an object");
      }
      events.add(event(v.asJsonObject(), "messages[" + i + "]"));
    }
    return events;
  }

  /** One event object. */
  static EventMessage event(JsonObject o, String where) {
    JsonObject payload = optionalObject(o, "payload", where);
    return new EventMessage(
        string(o, "messageIdentifier", where),
        string(o, "aggregateIdentifier", where),
        string(o, "aggregateType", where),
        number(o, "aggregateSequenceNumber", where, 0),
        number(o, "timestamp", where, System.currentTimeMillis()),
        payload == null ? "" : string(payload, "type", where + ".payload"),
        payload == null ? "" : string(payload, "revision", where + ".payload"),
        payload == null ? new byte[0] : data(payload, where + ".payload"),
        metaData(o, where));
  }

  private static String string(JsonObject o, String field, String where) {
    JsonValue v = o.get(field);
    if (v == null || v == JsonValue.NULL) {
      return "";
    }
    if (v instanceof JsonString s) {
      return s.getString();
    }
    throw invalid(where + "." + field + " must be a string");
  }

  private static long number(JsonObject o, String field, String where, long absent) {
    JsonValue v = o.get(field);
    if (v == null || v == JsonValue.NULL) {
      return absent;
    }
    if (v instanceof JsonNumber n && n.isIntegral()) {
      try {
        return n.longValueExact();
      } catch (ArithmeticException e) {
        throw invalid(where + "." + field + " is out of range");
      }
    }
    throw invalid(where + "." + field + " must be a whole number");
  }

  private static JsonObject optionalObject(JsonObject o, String field, String where) {
    JsonValue v = o.get(field);
    if (v == null || v == JsonValue.NULL) {
      return null;
    }
    if (v.getValueType() != JsonValue.ValueType.OBJECT) {
      throw invalid(where + "." + field + " must be an object");
    }
    return v.asJsonObject();
  }

  /** The payload's data: a string as is, any other JSON value as its JSON text. */
  private static byte[] data(JsonObject payload, String where) {
    JsonValue v = payload.get("data");
    if (v == null || v == JsonValue.NULL) {
      return new byte[0];
    }
    String text = v instanceof JsonString s ? s.getString() : v.toString();
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, String> metaData(JsonObject o, String where) {
    JsonObject m = optionalObject(o, "metaData", where);
    Map<String, String> result = new TreeMap<>();
    if (m != null) {
      for (Map.Entry<String, JsonValue> e : m.entrySet()) {
        JsonValue v = e.getValue();
        result.put(e.getKey(), v instanceof JsonString s ? s.getString() : v.toString());
      }
    }
    return result;
  }

  /** An event as JSON, with its token when it has one ({@code token < 0}: none). */
  static JsonObject toJson(EventMessage e, long token) {
    JsonObjectBuilder meta = JsonFactories.object();
    e.metadata().forEach(meta::add);
    JsonObjectBuilder b =
        JsonFactories.object()
            .add("messageIdentifier", e.messageId())
            .add("aggregateIdentifier", e.aggregateId())
            .add("aggregateSequenceNumber", e.aggregateSequenceNumber())
            .add("aggregateType", e.aggregateType())
            .add("timestamp", e.timestamp())
            .add(
                "payload",
                JsonFactories.object()
                    .add("type", e.payloadType())
                    .add("revision", e.payloadRevision())
                    .add("data", new String(e.payload(), StandardCharsets.UTF_8)))
            .add("metaData", meta);
    if (token >= 0) {
      b.add("token", token);
    }
    return b.build();
  }

  static CaucusException invalid(String what) {
    return CaucusException.of(ErrorCode.INVALID_REQUEST, what);
  }
}
