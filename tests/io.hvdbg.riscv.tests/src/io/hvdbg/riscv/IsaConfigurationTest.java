/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.hvdbg.riscv.cpu.IsaConfig;
import io.hvdbg.riscv.cpu.IsaExtension;

/**
 * Per-vCPU ISA configuration (--isa): the guest sees exactly the enabled set in its device tree,
 * and a disabled extension's instructions raise illegal-instruction in the guest.
 */
class IsaConfigurationTest {
    @Test
    void everythingEnabledByDefault() throws Exception {
        GuestRun r = GuestRun.run("test-isa.elf");
        assertEquals(0, r.end.exitStatus(), r.describe());
        assertTrue(r.console().contains("riscv,isa = " + IsaConfig.DEFAULT.isaString() + "\n"), r.console());
        for (String ext : new String[] {"zbb", "zba", "zbs", "zabha", "zacas", "sstc", "zicntr"}) {
            assertTrue(r.console().contains(ext + ": works"), r.console());
        }
    }

    @Test
    void disabledExtensionsAreIllegalAndAbsentFromTheDeviceTree() throws Exception {
        GuestRun r = GuestRun.run(GuestRun.config("test-isa.elf").withIsa("rv64ima_zicsr_zifencei_zbb_zacas"));
        assertEquals(0, r.end.exitStatus(), r.describe());
        assertTrue(r.console().contains("riscv,isa = rv64ima_zicsr_zifencei_zacas_zbb\n"), r.console());
        assertTrue(r.console().contains("zbb: works"), r.console());
        assertTrue(r.console().contains("zacas: works"), r.console());
        for (String ext : new String[] {"zba", "zbs", "zabha", "sstc", "zicntr"}) {
            assertTrue(r.console().contains(ext + ": illegal instruction"), ext + "\n" + r.console());
        }
        assertTrue(r.exits("VIRTUAL_INSTRUCTION") >= 2, "stimecmp and cycle trap to the hypervisor first (as in KVM)");
    }

    @Test
    void badIsaStringsAreOneLineErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IsaConfig.parse("rv64imafdc_zfoo"));
        assertTrue(e.getMessage().contains("'zfoo'") && !e.getMessage().contains("\n"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> IsaConfig.parse("rv32imac"));
        assertTrue(e.getMessage().contains("rv64"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> IsaConfig.parse("rv64imd_zicsr"));
        assertTrue(e.getMessage().contains("'d' requires 'f'"), e.getMessage());
        assertTrue(IsaConfig.parse("rv64gc").has(IsaExtension.ZIFENCEI));
    }
}
