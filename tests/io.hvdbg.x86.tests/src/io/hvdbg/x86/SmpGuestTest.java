/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.hvdbg.core.StopReason;
import io.hvdbg.core.vcpu.VcpuState;
import io.hvdbg.x86.exit.X86ExitKind;

/**
 * SMP bring-up: the BSP wakes the APs with INIT/SIPI; each runs a real-mode trampoline
 * (CPUID for its APIC id, then HLT) and the guest passes. Every AP's CPUID and HLT are exits of
 * that vCPU.
 */
class SmpGuestTest {
    @ParameterizedTest
    @CsvSource({"intel, 4", "amd, 2"})
    void apsStartInRealModeThroughSipi(String vendor, int smp) throws Exception {
        GuestRun r = GuestRun.run(GuestRun.config("test-smp.elf").withVendor(vendor).withSmp(smp));
        assertEquals(StopReason.SHUTDOWN, r.end.reason(), r.describe());
        assertEquals(1, r.end.exitStatus(), r.describe());
        assertTrue(r.console().contains("application processors started: " + (smp - 1)), r.describe());
        assertTrue(r.console().contains("smp: PASS"), r.describe());
        boolean amd = vendor.equals("amd");
        for (int i = 1; i < smp; i++) {
            assertEquals(1, r.vm.statistics().count(i, X86ExitKind.CPUID.reason(amd)), "vCPU " + i);
            assertEquals(1, r.vm.statistics().count(i, X86ExitKind.HLT.reason(amd)), "vCPU " + i);
            assertEquals(VcpuState.HALTED, r.vm.vcpu(i).state());
            assertTrue(r.vm.vcpu(i).describeState().contains("real mode"), r.vm.vcpu(i).describeState());
        }
    }

    /** ACPI tables (RSDP, RSDT, XSDT, FADT with the PM timer, MADT with one LAPIC per vCPU), fw_cfg, PCI, UART. */
    @ParameterizedTest
    @CsvSource({"intel, 1", "amd, 3"})
    void platformTablesAndDevices(String vendor, int smp) throws Exception {
        GuestRun r = GuestRun.run(GuestRun.config("test-acpi.elf").withVendor(vendor).withSmp(smp));
        assertEquals(1, r.end.exitStatus(), r.describe());
        assertTrue(r.console().contains("acpi: " + smp + " local APICs, PM timer at 0x608"), r.describe());
        assertTrue(r.console().contains("platform: PASS 21 checks"), r.describe());
    }
}
