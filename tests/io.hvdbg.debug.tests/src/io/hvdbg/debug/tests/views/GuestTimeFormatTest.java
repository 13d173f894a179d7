/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.tests.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

import io.hvdbg.debug.ui.views.GuestTimeFormat;

/** Times for people, and axis ticks that stay distinct however far the timeline is zoomed in. */
class GuestTimeFormatTest {
    @Test
    void valuesInTheirLargestUnit() {
        assertEquals("999ns", GuestTimeFormat.format(999));
        assertEquals("1.500us", GuestTimeFormat.format(1500));
        assertEquals("22.394ms", GuestTimeFormat.format(22_394_123));
        assertEquals("5.502s", GuestTimeFormat.format(5_502_073_568L));
    }

    @Test
    void ticksHaveTheDecimalsTheirStepNeeds() {
        // a 2 us window 22.394 ms into the run, ticks every 200 ns: four decimals of ms
        assertEquals("22.3942ms", GuestTimeFormat.tick(22_394_200, 200));
        assertNotEquals(GuestTimeFormat.tick(22_394_200, 200), GuestTimeFormat.tick(22_394_400, 200));
        assertEquals("22.394123ms", GuestTimeFormat.tick(22_394_123, 1));
        assertEquals("1.0s", GuestTimeFormat.tick(1_000_000_000L, 100_000_000L));
        assertEquals("3s", GuestTimeFormat.tick(3_000_000_000L, 1_000_000_000L));
        assertEquals("500ns", GuestTimeFormat.tick(500, 100));
        assertEquals("1.25us", GuestTimeFormat.tick(1250, 50));
    }
}
