package dev.dataaccess.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dataaccess.client.BatchGetResult;
import dev.dataaccess.client.Condition;
import dev.dataaccess.client.DataAccessClient;
import dev.dataaccess.client.DataAccessException;
import dev.dataaccess.client.DeleteOptions;
import dev.dataaccess.client.Document;
import dev.dataaccess.client.Entity;
import dev.dataaccess.client.Operator;
import dev.dataaccess.client.Order;
import dev.dataaccess.client.Page;
import dev.dataaccess.client.Query;
import dev.dataaccess.client.Search;
import dev.dataaccess.client.Update;
import dev.dataaccess.client.WriteOptions;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Runs tests/clients/scenario.json through the Java client and prints one canonical-JSON line per
 * step: {@code run-scenario ADDRESS SCENARIO_FILE RUN_ID}. Exits 0 iff every step matched.
 */
public final class ScenarioRunner {
  private static final String RUN = "${RUN}";
  private static final int MAX_PAGES = 1000;

  private final Map<String, Object> scenario;
  private final String runId;

  private ScenarioRunner(Map<String, Object> scenario, String runId) {
    this.scenario = scenario;
    this.runId = runId;
  }

  /**
   * @param args ADDRESS SCENARIO_FILE RUN_ID
   * @throws Exception if the scenario file cannot be read
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: run-scenario ADDRESS SCENARIO_FILE RUN_ID");
      System.exit(2);
    }
    ObjectMapper mapper = DataAccessClient.defaultObjectMapper();
    @SuppressWarnings("unchecked")
    Map<String, Object> scenario = mapper.readValue(Files.readAllBytes(Path.of(args[1])), LinkedHashMap.class);
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    boolean allOk;
    try (DataAccessClient client = DataAccessClient.builder().address(args[0])
        .deadline(Duration.ofSeconds(10)).build()) {
      allOk = new ScenarioRunner(scenario, args[2]).run(client, out);
    }
    out.flush();
    System.exit(allOk ? 0 : 1);
  }

  private boolean run(DataAccessClient client, PrintStream out) {
    boolean allOk = true;
    for (Object s : list(scenario.get("steps"))) {
      Map<String, Object> step = map(s);
      String name = (String) step.get("name");
      Object result;
      try {
        result = execute(client, (String) step.get("call"), map(replace(step.get("args"), x -> x.replace(RUN, runId))));
      } catch (DataAccessException e) {
        System.err.println("step " + name + ": " + e.getMessage());
        result = Map.of("error", e.codeName());
      } catch (RuntimeException e) {
        System.err.println("step " + name + ": client failure");
        e.printStackTrace();
        result = Map.of("exception", e.toString());
      }
      result = replace(result, x -> x.replace(runId, RUN));
      boolean ok = CanonicalJson.write(result).equals(CanonicalJson.write(step.get("expect")));
      allOk &= ok;
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("step", name);
      line.put("ok", ok);
      line.put("result", result);
      out.println(CanonicalJson.write(line));
    }
    return allOk;
  }

  private Object execute(DataAccessClient client, String call, Map<String, Object> args) {
    String entityName = (String) args.getOrDefault("entity", scenario.get("entity"));
    Entity<Map<String, Object>> entity = client.entity(entityName);
    String key = (String) args.get("key");
    switch (call) {
      case "get":
        return doc(entity.get(key));
      case "put": {
        WriteOptions options = Boolean.TRUE.equals(args.get("mustNotExist"))
            ? WriteOptions.mustNotExist() : WriteOptions.none();
        if (args.get("expectedVersion") != null) {
          options = options.withExpectedVersion(number(args.get("expectedVersion")));
        }
        return doc(entity.put(key, map(args.get("doc")), options));
      }
      case "update": {
        Update.Builder u = Update.builder();
        if (args.get("set") != null) {
          map(args.get("set")).forEach(u::set);
        }
        if (args.get("unset") != null) {
          list(args.get("unset")).forEach(p -> u.unset((String) p));
        }
        if (args.get("increment") != null) {
          map(args.get("increment")).forEach((p, n) -> {
            if (n instanceof Number num) {
              u.increment(p, num);
            } else {
              u.increment(p, (String) n);
            }
          });
        }
        if (args.get("condition") != null) {
          u.where(conditions(args.get("condition")));
        }
        if (args.get("expectedVersion") != null) {
          u.expectedVersion(number(args.get("expectedVersion")));
        }
        return doc(entity.update(key, u.build()));
      }
      case "delete": {
        DeleteOptions options = args.get("expectedVersion") != null
            ? DeleteOptions.expectedVersion(number(args.get("expectedVersion"))) : DeleteOptions.none();
        return Map.of("version", entity.delete(key, options).version());
      }
      case "batchGet": {
        List<String> keys = new ArrayList<>();
        list(args.get("keys")).forEach(k -> keys.add((String) k));
        BatchGetResult<Map<String, Object>> r = entity.batchGet(keys);
        List<String> found = new ArrayList<>();
        r.documents().forEach(d -> found.add(d.key()));
        return Map.of("keys", found, "missing", r.missingKeys());
      }
      case "query": {
        Query.Builder q = Query.builder();
        if (args.get("filter") != null) {
          q.where(conditions(args.get("filter")));
        }
        if (args.get("order") != null) {
          for (Object o : list(args.get("order"))) {
            Map<String, Object> m = map(o);
            q.orderBy(new Order((String) m.get("path"), Boolean.TRUE.equals(m.get("descending"))));
          }
        }
        if (args.get("limit") != null) {
          q.limit((int) number(args.get("limit")));
        }
        Query query = q.build();
        return pages(token -> entity.query(query.withPageToken(token)));
      }
      case "search": {
        Search.Builder s = Search.builder((String) args.get("text"));
        if (args.get("filter") != null) {
          s.where(conditions(args.get("filter")));
        }
        if (args.get("limit") != null) {
          s.limit((int) number(args.get("limit")));
        }
        Search search = s.build();
        return pages(token -> entity.search(search.withPageToken(token)));
      }
      default:
        throw new IllegalArgumentException("unknown call " + call);
    }
  }

  /** Follows next-page tokens until the last page: {"keys": all keys in order, "pages": calls}. */
  private static Map<String, Object> pages(Function<String, Page<Map<String, Object>>> fetch) {
    List<String> keys = new ArrayList<>();
    String token = "";
    int pages = 0;
    do {
      Page<Map<String, Object>> page = fetch.apply(token);
      pages++;
      page.documents().forEach(d -> keys.add(d.key()));
      token = page.nextPageToken();
    } while (!token.isEmpty() && pages < MAX_PAGES);
    return Map.of("keys", keys, "pages", (long) pages);
  }

  private static Map<String, Object> doc(Document<Map<String, Object>> d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", d.version());
    m.put("doc", d.value());
    return m;
  }

  private static List<Condition> conditions(Object raw) {
    List<Condition> out = new ArrayList<>();
    for (Object c : list(raw)) {
      Map<String, Object> m = map(c);
      out.add(new Condition((String) m.get("path"), Operator.fromName((String) m.get("op")), m.get("value")));
    }
    return out;
  }

  /** Applies {@code f} to every string (object keys included) in a JSON-like value. */
  private static Object replace(Object value, UnaryOperator<String> f) {
    if (value instanceof String s) {
      return f.apply(s);
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(f.apply((String) k), replace(v, f)));
      return out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(v -> out.add(replace(v, f)));
      return out;
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o == null ? new LinkedHashMap<>() : (Map<String, Object>) o;
  }

  private static List<?> list(Object o) {
    return o == null ? List.of() : (List<?>) o;
  }

  private static long number(Object o) {
    return ((Number) o).longValue();
  }
}
