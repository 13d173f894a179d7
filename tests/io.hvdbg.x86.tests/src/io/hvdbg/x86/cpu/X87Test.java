/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The x87 unit's formats and rules against the SDM's encodings (m80 layout, tags, indefinites). */
class X87Test {
    @Test
    void extendedFormatMatchesTheSdmEncodings() {
        // 1.0 = exponent 0x3FFF, mantissa 0x8000000000000000 (explicit integer bit)
        assertArrayEquals(new long[] {0x8000_0000_0000_0000L, 0x3FFF}, X87.toExtended(1.0));
        assertArrayEquals(new long[] {0x8000_0000_0000_0000L, 0xC000}, X87.toExtended(-2.0));
        // pi as FLDPI rounds it to double: 0xC90FDAA22168C000 (the extended constant ends ...C235)
        assertArrayEquals(new long[] {0xC90F_DAA2_2168_C000L, 0x4000}, X87.toExtended(Math.PI));
        assertEquals(1.0, X87.fromExtended(0x8000_0000_0000_0000L, 0x3FFF));
        assertEquals(Math.PI, X87.fromExtended(0xC90F_DAA2_2168_C235L, 0x4000)); // rounds to the double
        assertEquals(Double.NEGATIVE_INFINITY, X87.fromExtended(0x8000_0000_0000_0000L, 0xFFFF));
        assertTrue(Double.isNaN(X87.fromExtended(0xC000_0000_0000_0000L, 0xFFFF)));
        double tiny = Double.MIN_VALUE; // a subnormal double is a normal extended value
        long[] x = X87.toExtended(tiny);
        assertEquals(0x8000_0000_0000_0000L, x[0]);
        assertEquals(16383 - 1074, x[1]);
        assertEquals(tiny, X87.fromExtended(x[0], (int) x[1]));
    }

    @Test
    void stackTagsOverflowAndIntegerIndefinite() {
        X87 f = new X87();
        assertEquals(0xFFFF, f.tag);
        f.push(0.0);
        f.push(2.0);
        assertEquals(6 << 11, f.statusWord() & 0x3800); // TOP = 6
        assertEquals(0x4FFF, f.tag); // ST0 (phys 6) valid 00, ST1 (phys 7) zero 01, the rest empty 11
        for (int i = 0; i < 6; i++) {
            f.push(1.0);
        }
        f.push(3.0); // ninth push: stack overflow
        assertEquals(X87.IE | X87.SF | X87.C1, f.statusWord() & (X87.IE | X87.SF | X87.C1));
        assertTrue(Double.isNaN(f.st(0)));
        assertEquals(0x8000_0000L, f.toInteger(1e10, 32, false));
        f.control = 0x37F | (3 << 10); // round toward zero
        assertEquals(-2, f.toInteger(-2.7, 32, false));
        f.control = 0x37F | (1 << 10); // round down
        assertEquals(-3, f.toInteger(-2.2, 32, false));
        assertEquals(2, f.toInteger(2.7, 32, true)); // FISTTP truncates whatever the rounding control
    }
}
