/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.exit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ExitReasonsTest {
    @Test
    void registrationIsIdempotentAndConflictsAreRefused() {
        ExitReason a = ExitReasons.register(ExitSource.UNKNOWN, 0x7201, "EXIT_REASON_TEST_A", ExitCategory.HALT);
        assertSame(a, ExitReasons.register(ExitSource.UNKNOWN, 0x7201, "EXIT_REASON_TEST_A", ExitCategory.HALT));
        assertThrows(IllegalStateException.class,
                () -> ExitReasons.register(ExitSource.UNKNOWN, 0x7201, "OTHER", ExitCategory.HALT));
        assertSame(a, ExitReasons.byId(a.id()));
        assertSame(a, ExitReasons.find(ExitSource.UNKNOWN, 0x7201));
    }

    @Test
    void findsByNameWithOrWithoutVendorPrefix() {
        ExitReason a = ExitReasons.register(ExitSource.UNKNOWN, 0x7202, "EXIT_REASON_TEST_B", ExitCategory.IO);
        ExitReason b = ExitReasons.register(ExitSource.UNKNOWN, 0x7203, "VMEXIT_TEST_C", ExitCategory.IO);
        assertSame(a, ExitReasons.findByName("test_b"));
        assertSame(a, ExitReasons.findByName("EXIT_REASON_TEST_B"));
        assertSame(b, ExitReasons.findByName("TEST_C"));
        assertNull(ExitReasons.findByName("NO_SUCH_EXIT"));
        assertThrows(IllegalArgumentException.class, () -> ExitReasons.byId(-1));
    }

    @Test
    void categoryAliases() {
        assertEquals(ExitCategory.HALT, ExitCategory.parse("wfi"));
        assertEquals(ExitCategory.HALT, ExitCategory.parse("HLT"));
        assertEquals(ExitCategory.HYPERCALL, ExitCategory.parse("sbi"));
        assertEquals(ExitCategory.NESTED_PAGE_FAULT, ExitCategory.parse("ept"));
        assertEquals(ExitCategory.CR_ACCESS, ExitCategory.parse("cr-access"));
        assertNull(ExitCategory.parse("bogus"));
    }
}
