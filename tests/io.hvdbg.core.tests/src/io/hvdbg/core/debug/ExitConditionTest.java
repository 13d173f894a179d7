/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.hvdbg.core.exit.ExitAttribute;
import io.hvdbg.core.exit.ExitCategory;
import io.hvdbg.core.exit.ExitDecoder;
import io.hvdbg.core.exit.ExitDecoders;
import io.hvdbg.core.exit.ExitInfo;
import io.hvdbg.core.exit.ExitReason;
import io.hvdbg.core.exit.ExitReasons;
import io.hvdbg.core.exit.ExitSource;
import io.hvdbg.core.exit.VmExit;

class ExitConditionTest {
    static final ExitReason PIO = ExitReasons.register(ExitSource.UNKNOWN, 0x7401, "COND_IO", ExitCategory.IO);

    static {
        // Test decoder for UNKNOWN: the port sits in qualification bits 31:16, as in VMX.
        ExitDecoders.register(ExitSource.UNKNOWN, new ExitDecoder() {
            @Override
            public long attribute(ExitReason r, long q, long i2, long c, ExitAttribute a) {
                return a == ExitAttribute.PORT && r.category() == ExitCategory.IO ? (q >>> 16) & 0xFFFF : -1;
            }

            @Override
            public String describe(VmExit e) {
                return "io";
            }
        });
    }

    private static ExitInfo io(int port) {
        ExitInfo e = new ExitInfo();
        e.set(PIO, (long) port << 16, 0, 0, 0, 1, 0);
        return e;
    }

    @Test
    void parsesValuesRangesAndNames() {
        ExitCondition c = ExitCondition.parse("port=0x3f8-0x3ff");
        assertEquals(new ExitCondition.Clause(ExitAttribute.PORT, 0x3f8, 0x3ff), c.clauses().get(0));
        assertTrue(c.matches(io(0x3fd)));
        assertFalse(c.matches(io(0x3f7)));
        assertEquals(0x48534DL, ExitCondition.parse("ext=HSM").clauses().get(0).low());
        ExitCondition two = ExitCondition.parse("leaf=7 && msr=0x1b..0x1c");
        assertEquals(2, two.clauses().size());
        assertEquals(0x1c, two.clauses().get(1).high());
        assertEquals(ExitAttribute.GPA, ExitCondition.parse("gpa=0xfee00000-0xfee00fff").clauses().get(0).attribute());
    }

    @Test
    void badConditionsNameTheClause() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExitCondition.parse("colour=red")).getMessage()
                .contains("colour"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExitCondition.parse("port=zz")).getMessage()
                .contains("'zz' is not a number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExitCondition.parse("port=9-3")).getMessage()
                .contains("empty"));
        assertThrows(IllegalArgumentException.class, () -> ExitCondition.parse("port"));
        assertThrows(IllegalArgumentException.class, () -> ExitCondition.parse("  "));
    }

    @Test
    void registryMatchesByCategoryReasonVcpuAndCondition() {
        ExitBreakpointRegistry reg = new ExitBreakpointRegistry();
        ExitBreakpoint serial = reg.add("IO", "port=0x3f8", -1, false);
        assertNull(reg.match(0, io(0x80)));
        assertEquals(serial, reg.match(3, io(0x3f8)));
        assertEquals(1, serial.hitCount());
        serial.setEnabled(false);
        assertNull(reg.match(0, io(0x3f8)));
        ExitBreakpoint once = reg.add("COND_IO", null, 2, true);
        assertNull(reg.match(1, io(0x3f8)), "restricted to vCPU 2");
        assertEquals(once, reg.match(2, io(0x3f8)));
        assertNull(reg.get(once.id()), "temporary breakpoint deleted by its hit");
        assertNotNull(reg.get(serial.id()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> reg.add("FOO", null, -1, false));
        assertTrue(e.getMessage().contains("unknown exit reason 'FOO'"), e.getMessage());
        assertTrue(reg.remove(serial.id()));
        assertFalse(reg.isActive());
    }

    @Test
    void breakpointAndWatchpointRegistries() {
        BreakpointRegistry b = new BreakpointRegistry();
        assertFalse(b.isActive());
        assertTrue(b.add(0x1000));
        assertFalse(b.add(0x1000));
        assertTrue(b.contains(0x1000));
        assertTrue(b.remove(0x1000));
        assertFalse(b.remove(0x1000));
        WatchpointRegistry w = new WatchpointRegistry();
        int gen = w.generation();
        Watchpoint wp = new Watchpoint(0x2004, 4, WatchKind.WRITE);
        w.add(wp);
        assertTrue(w.generation() != gen);
        assertEquals(wp, w.check(0x2000, 8, true));
        assertNull(w.check(0x2000, 8, false), "a write watchpoint ignores reads");
        assertNull(w.check(0x2008, 4, true));
        assertTrue(w.pageWatched(0x2FFF));
        assertFalse(w.pageWatched(0x3000));
        assertTrue(WatchKind.ACCESS.triggersOn(false) && WatchKind.ACCESS.triggersOn(true));
    }
}
