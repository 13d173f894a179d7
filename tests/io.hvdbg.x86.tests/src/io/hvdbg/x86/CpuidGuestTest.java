/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.hvdbg.core.StopReason;
import io.hvdbg.x86.cpuid.CpuModels;
import io.hvdbg.x86.cpuid.CpuidTable;
import io.hvdbg.x86.cpuid.SupportedCpuid;
import io.hvdbg.x86.cpuid.VcpuCpuid;

/**
 * The test-cpuid guest prints what CPUID returns; every value equals the effective table of
 * the configured model and overrides (the supported/requested intersection with KVM's run-time
 * bits), before and after the guest writes CR4.OSXSAVE.
 */
class CpuidGuestTest {
    private static final Pattern LINE = Pattern.compile(
            "(cpuid|after) 0x([0-9a-f]+)\\.(\\d+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+)");

    @ParameterizedTest(name = "--cpu {0} on {1}, cpuid={2}")
    @CsvSource({
        "host-max, intel, ''",
        "host-max, amd, ''",
        "qemu64, intel, ''",
        "Skylake-Client, intel, ''",
        "EPYC, amd, ''",
        "'host-max,-x2apic', intel, '-pcid,-xsave'",
        "Skylake-Client, intel, '-smep,+la57'",
    })
    void guestSeesTheEffectiveTable(String model, String vendor, String overrides) throws Exception {
        var config = GuestRun.config("test-cpuid.elf").withVendor(vendor).withCpuModel(model);
        if (!overrides.isEmpty()) {
            config = config.withOption("cpuid", overrides);
        }
        GuestRun r = GuestRun.run(config);
        assertEquals(StopReason.SHUTDOWN, r.end.reason(), r.describe());
        assertEquals(1, r.end.exitStatus(), r.describe());
        assertTrue(r.console().contains("cpuid: PASS"), r.describe());

        boolean amd = vendor.equals("amd");
        CpuidTable supported = SupportedCpuid.create(amd, 1);
        VcpuCpuid expected = new VcpuCpuid(model, supported,
                CpuModels.requested(model, overrides.isEmpty() ? null : overrides, supported, amd));
        Matcher cr4m = Pattern.compile("cr4 0x([0-9a-f]+)").matcher(r.console());
        assertTrue(cr4m.find(), r.describe());
        long cr4 = Long.parseLong(cr4m.group(1), 16);
        Matcher m = LINE.matcher(r.console());
        int lines = 0;
        while (m.find()) {
            int leaf = Integer.parseUnsignedInt(m.group(2), 16);
            int sub = Integer.parseInt(m.group(3));
            long atCr4 = m.group(1).equals("after") && expected.has("xsave") ? cr4 | (1 << 18) : cr4;
            int[] want = expected.view(2, leaf, sub, atCr4, 0);
            for (int reg = 0; reg < 4; reg++) {
                assertEquals(Integer.toHexString(want[reg]), m.group(4 + reg),
                        m.group() + " register " + reg + " with model " + model + " " + overrides);
            }
            lines++;
        }
        assertEquals(15, lines, r.describe());
        if (model.startsWith("host-max,-x2apic")) {
            assertEquals(0, expected.view(2, 1, 0, cr4, 0)[2] & ((1 << 21) | (1 << 17) | (1 << 26)));
        }
        if (overrides.contains("+la57")) {
            assertTrue(expected.has("la57") && !expected.has("smep"));
        }
    }
}
