package io.agenthub.companion;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * How the reference echo agent behaves: its name; {@code wordsPerSecond} above 0 streams its answers at that rate
 * ({@code agent --stream --rate N}); {@code skills}, the skill ids its card names ({@code --skills a,b}); at most
 * {@code maxConcurrency} messages at once ({@code --concurrency N}, 0: no limit); {@code workMillis} of work before
 * each answer starts ({@code --work-ms N}), to play a slower or a busy agent. An agent with skills or a concurrency
 * registers with a card (protocol extension "agent cards") and reports its tasks in progress in its PONGs; one
 * without behaves exactly as the seed agents do.
 */
public record EchoOptions(String name, int wordsPerSecond, List<String> skills, int maxConcurrency, long workMillis) {

  public EchoOptions {
    skills = List.copyOf(skills);
  }

  /** An echo agent as the seed ones: it answers every TEXT at once, without a card. */
  public static EchoOptions named(String name) {
    return new EchoOptions(name, 0, List.of(), 0, 0);
  }

  public EchoOptions streaming(int rate) {
    return new EchoOptions(name, rate, skills, maxConcurrency, workMillis);
  }

  public EchoOptions withSkills(List<String> skillIds) {
    return new EchoOptions(name, wordsPerSecond, skillIds, maxConcurrency, workMillis);
  }

  public EchoOptions withConcurrency(int concurrency) {
    return new EchoOptions(name, wordsPerSecond, skills, concurrency, workMillis);
  }

  public EchoOptions withWork(long millis) {
    return new EchoOptions(name, wordsPerSecond, skills, maxConcurrency, millis);
  }

  /** Whether it registers with a card and reports its load. */
  boolean hasCard() {
    return !skills.isEmpty() || maxConcurrency > 0;
  }

  /** The card it registers with; only when {@link #hasCard()}. */
  JsonObject card() {
    JsonArray skillList = new JsonArray();
    skills.forEach(id -> skillList.add(new JsonObject().put("id", id).put("name", id)
        .put("description", "Echoes the question back (" + id + ")").put("tags", new JsonArray().add("echo"))));
    JsonObject card = new JsonObject().put("description", "The reference echo agent: answers with what it is sent")
        .put("skills", skillList);
    return maxConcurrency > 0 ? card.put("max_concurrency", maxConcurrency) : card;
  }
}
