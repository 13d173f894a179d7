/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.monitor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code monitor cpuid LEAF} finds the feature bits of a leaf whatever notation the core names its groups in. */
class InspectCommandsTest {
    @Test
    void featureGroupsNameTheirLeafInEveryNotation() {
        assertTrue(InspectCommands.mentionsLeaf("CPUID.(EAX=07H,ECX=0):EBX", 7));
        assertTrue(InspectCommands.mentionsLeaf("CPUID.(EAX=0x80000001):EDX", 0x80000001L));
        assertTrue(InspectCommands.mentionsLeaf("CPUID 0x1 ECX", 1));
        assertTrue(InspectCommands.mentionsLeaf("cpuid 0x80000001 edx", 0x80000001L));
        assertTrue(InspectCommands.mentionsLeaf("0x7", 7));
        assertFalse(InspectCommands.mentionsLeaf("CPUID 0x1 ECX", 7));
        assertFalse(InspectCommands.mentionsLeaf("CPUID.(EAX=01H):ECX", 0x10));
        assertFalse(InspectCommands.mentionsLeaf("ISA", 1));
    }
}
