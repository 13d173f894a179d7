/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** SSE lane rules the SDM states and Java's arithmetic does not give by itself. */
class SseMathTest {
    private static long d(double v) {
        return Double.doubleToRawLongBits(v);
    }

    @Test
    void nanRulesFollowTheSdm() {
        // invalid operation: the negative default QNaN (Java's 0/0 is the positive one)
        assertEquals(0xFFF8_0000_0000_0000L, SseMath.op64(0x5E, d(0), d(0)));
        assertEquals(0xFFF8_0000_0000_0000L, SseMath.op64(0x51, 0, d(-1)));
        assertEquals(0xFFC0_0000, SseMath.op32(0x58, Float.floatToRawIntBits(Float.POSITIVE_INFINITY),
                Float.floatToRawIntBits(Float.NEGATIVE_INFINITY)));
        // a NaN operand: the first one (destination), quieted
        long snan = 0x7FF0_0000_0000_0001L;
        assertEquals(snan | (1L << 51), SseMath.op64(0x58, snan, d(1)));
        assertEquals(0x7FF8_0000_0000_0002L, SseMath.op64(0x59, d(1), 0x7FF8_0000_0000_0002L));
    }

    @Test
    void minAndMaxReturnTheSecondOperandWhenUnorderedOrBothZero() {
        long nan = 0x7FF8_0000_0000_0000L;
        assertEquals(d(2), SseMath.op64(0x5D, nan, d(2)));
        assertEquals(nan, SseMath.op64(0x5F, d(2), nan));
        assertEquals(d(-0.0), SseMath.op64(0x5D, d(0.0), d(-0.0)));
        assertEquals(d(0.0), SseMath.op64(0x5F, d(-0.0), d(0.0)));
        assertEquals(d(1), SseMath.op64(0x5D, d(1), d(2)));
    }

    @Test
    void conversionsRoundPerMxcsrAndGiveTheIntegerIndefinite() {
        int nearest = 0x1F80;
        assertEquals(2, SseMath.toInteger(2.5, 32, false, nearest));
        assertEquals(4, SseMath.toInteger(3.5, 32, false, nearest));
        assertEquals(3, SseMath.toInteger(3.5, 32, false, nearest | (1 << 13))); // down
        assertEquals(0xFFFF_FFFDL, SseMath.toInteger(-3.9, 32, true, nearest)); // truncation, 32-bit result
        assertEquals(0x8000_0000L, SseMath.toInteger(3e9, 32, true, nearest));
        assertEquals(Long.MIN_VALUE, SseMath.toInteger(Double.NaN, 64, true, nearest));
        assertEquals(0xFFC0_0001, SseMath.toFloat(Double.longBitsToDouble(0xFFF8_0000_2000_0000L)));
    }

    @Test
    void comparePredicatesAndIntegerLanes() {
        assertTrue(SseMath.predicate(3, Double.NaN, 1)); // UNORD
        assertTrue(SseMath.predicate(4, Double.NaN, 1)); // NEQ is true when unordered
        assertFalse(SseMath.predicate(0, Double.NaN, Double.NaN));
        assertTrue(SseMath.predicate(6, 2, 1)); // NLE
        assertEquals(0x0004_0000_8001_0000L, SseMath.addLanes(0x0003_FFFF_8000_FFFFL, 0x0001_0001_0001_0001L, 16, false));
        assertEquals(0xFF00_FF00_FF00_FF00L, SseMath.equalLanes(0x1100_2233_4455_6677L, 0x1199_2288_4499_66AAL, 8));
    }
}
