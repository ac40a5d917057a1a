package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agenthub.config.HubConfig;
import io.agenthub.config.Setting;
import io.agenthub.support.ManualClock;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What an address may still register: only what it is charged for counts (REGISTRATION_RATE_LIMIT 10/s, burst 20
 * here), a registration asking for a new id needs a whole token, one presenting its previous id may overdraw by up
 * to one burst.
 */
class RegistrationLimiterTest {
  private static final long SECOND = 1_000_000_000L;
  private final ManualClock clock = new ManualClock();
  private GatewaySettings settings = settings(10, 20);
  private final RegistrationLimiter limiter = new RegistrationLimiter(() -> settings, clock);

  @Test
  void anAddressNeverChargedIsNeverKeptWaitingNorRemembered() {
    for (int i = 0; i < 10_000; i++) {
      assertEquals(0, limiter.waitNanos("10.0.0.1", false));
    }
    assertEquals(0, limiter.addresses());
  }

  @Test
  void aNewIdNeedsAWholeTokenAndEachAddressHasItsOwn() {
    chargeTimes("10.0.0.1", 20);
    assertEquals(SECOND / 10, limiter.waitNanos("10.0.0.1", false), "a tenth of a second refills one token");
    assertEquals(0, limiter.waitNanos("10.0.0.2", false), "another address is not limited by the first");
    clock.advance(Duration.ofMillis(100));
    assertEquals(0, limiter.waitNanos("10.0.0.1", false));
  }

  @Test
  void aPreviousIdMayOverdrawByOneBurstAndTheDebtIsBoundedByIt() {
    chargeTimes("10.0.0.1", 39);
    assertEquals(0, limiter.waitNanos("10.0.0.1", true), "19 tokens in debt: under one burst");
    chargeTimes("10.0.0.1", 1_000);
    assertEquals(SECOND / 10, limiter.waitNanos("10.0.0.1", true), "the debt stops at one burst");
    assertEquals(21 * SECOND / 10, limiter.waitNanos("10.0.0.1", false), "a new id waits until the debt is paid");
  }

  @Test
  void aSocketClosedWithinTheChurnWindowCostsItsAddressAndOneThatLivedLongerDoesNot() {
    for (int i = 0; i < 20; i++) {
      limiter.closed("10.0.0.1", clock.nanoTime() - 5 * SECOND);
    }
    assertEquals(0, limiter.waitNanos("10.0.0.1", false), "sockets that lived the 5 s window cost nothing");
    for (int i = 0; i < 20; i++) {
      limiter.closed("10.0.0.1", clock.nanoTime() - 5 * SECOND + 1);
    }
    assertEquals(SECOND / 10, limiter.waitNanos("10.0.0.1", false));
  }

  @Test
  void addressesWhoseBucketRefilledAreForgottenAndOthersKept() {
    for (int i = 0; i < 1_000; i++) {
      limiter.charge("10.0." + (i / 256) + "." + (i % 256));
    }
    clock.advance(Duration.ofMillis(50));
    chargeTimes("10.9.9.9", 20);
    clock.advance(Duration.ofMillis(50));

    limiter.forgetIdle();

    assertEquals(1, limiter.addresses(), "0.1 s refilled the one token of the others, not the 20 of 10.9.9.9");
    assertEquals(SECOND / 20, limiter.waitNanos("10.9.9.9", false), "an exhausted address is not started afresh");
  }

  @Test
  void rateZeroChargesNothing() {
    settings = settings(0, 1);
    chargeTimes("10.0.0.1", 100);
    assertEquals(0, limiter.waitNanos("10.0.0.1", false));
    assertEquals(0, limiter.addresses());
  }

  private void chargeTimes(String address, int times) {
    for (int i = 0; i < times; i++) {
      limiter.charge(address);
    }
  }

  private static GatewaySettings settings(int rate, int burst) {
    return GatewaySettings.of(HubConfig.parse(Setting.defaults().mergeIn(new JsonObject()
        .put("REGISTRATION_RATE_LIMIT", rate).put("REGISTRATION_RATE_BURST", burst))));
  }
}
