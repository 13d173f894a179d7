/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.VmConfig;
import io.hvdbg.debug.core.launch.VmLaunchSettings;

/** Validation shared by the Main tab and the launch delegate. */
class VmLaunchSettingsTest {
    private static String check(String arch, String kernel, int mib, int vcpus, String vendor) {
        return new VmLaunchSettings(arch, kernel, mib, vcpus, vendor).validate();
    }

    @Test
    void validSettingsBecomeTheCoresVmConfig() {
        VmLaunchSettings s = new VmLaunchSettings("riscv64", "/boot/Image", 512, 4, "intel");
        assertNull(s.validate());
        VmConfig c = s.toVmConfig(Path.of("/boot/Image"));
        assertEquals(Architecture.RISCV64, c.architecture());
        assertEquals(512, c.memoryMiB());
        assertEquals(4, c.smp());
        assertEquals(Path.of("/boot/Image"), c.kernel());
        assertNull(check("x86_64", "k", 1, 255, "AMD"));
    }

    @Test
    void everyProblemHasAMessageNamingIt() {
        assertEquals("Architecture must be x86_64 or riscv64, not 'mips'.", check("mips", "k", 128, 1, "intel"));
        assertEquals("Choose the guest image to boot (a multiboot/ELF kernel for x86_64, a Linux Image or ELF for riscv64).",
                check("x86_64", " ", 128, 1, "intel"));
        assertEquals("Memory must be 1-65536 MiB, not 0.", check("x86_64", "k", 0, 1, "intel"));
        assertEquals("vCPUs must be 1-255, not 256.", check("x86_64", "k", 128, 256, "intel"));
        assertEquals("Vendor must be intel or amd, not 'via'.", check("x86_64", "k", 128, 1, "via"));
        assertEquals("The vendor (Intel VMX / AMD SVM) applies to x86_64 guests only.", check("riscv64", "k", 128, 1, "amd"));
    }
}
