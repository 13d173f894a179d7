/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.core.launch;

import java.util.Locale;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.VmConfig;
import io.hvdbg.debug.core.HvdbgDebugCore;

/**
 * The attributes of an "hvdbg Virtual Machine" launch configuration, with the validation the
 * Main tab shows and the launch delegate enforces (one place, so both say the same).
 *
 * @param architecture {@code x86_64} or {@code riscv64} as typed (validated by {@link #validate()})
 * @param kernel       guest image path; may contain string variables such as {@code ${workspace_loc:/p/guest.elf}}
 * @param memoryMiB    guest RAM in MiB
 * @param vcpus        number of vCPUs
 * @param vendor       x86 exit flavour, {@code intel} or {@code amd}
 */
public record VmLaunchSettings(String architecture, String kernel, int memoryMiB, int vcpus, String vendor) {
    /** Identifier of the launch configuration type (plugin.xml). */
    public static final String LAUNCH_TYPE_ID = "io.hvdbg.debug.launchType.vm";

    public static final String ATTR_ARCH = HvdbgDebugCore.PLUGIN_ID + ".arch";
    public static final String ATTR_KERNEL = HvdbgDebugCore.PLUGIN_ID + ".kernel";
    public static final String ATTR_MEMORY_MIB = HvdbgDebugCore.PLUGIN_ID + ".memoryMiB";
    public static final String ATTR_VCPUS = HvdbgDebugCore.PLUGIN_ID + ".vcpus";
    public static final String ATTR_VENDOR = HvdbgDebugCore.PLUGIN_ID + ".vendor";

    public static final String DEFAULT_ARCH = Architecture.X86_64.cliName();
    public static final int MAX_MEMORY_MIB = 65536;

    /** Reads the attributes, with defaults for those not set. */
    public static VmLaunchSettings from(ILaunchConfiguration c) throws CoreException {
        return new VmLaunchSettings(
                c.getAttribute(ATTR_ARCH, DEFAULT_ARCH),
                c.getAttribute(ATTR_KERNEL, ""),
                c.getAttribute(ATTR_MEMORY_MIB, VmConfig.DEFAULT_MEMORY_MIB),
                c.getAttribute(ATTR_VCPUS, 1),
                c.getAttribute(ATTR_VENDOR, "intel"));
    }

    /** Defaults of a new configuration. */
    public static VmLaunchSettings defaults() {
        return new VmLaunchSettings(DEFAULT_ARCH, "", VmConfig.DEFAULT_MEMORY_MIB, 1, "intel");
    }

    /** Writes the attributes. */
    public void applyTo(ILaunchConfigurationWorkingCopy c) {
        c.setAttribute(ATTR_ARCH, architecture);
        c.setAttribute(ATTR_KERNEL, kernel);
        c.setAttribute(ATTR_MEMORY_MIB, memoryMiB);
        c.setAttribute(ATTR_VCPUS, vcpus);
        c.setAttribute(ATTR_VENDOR, vendor);
    }

    /** The parsed architecture, or null if it is not one hvdbg runs. */
    public Architecture parsedArchitecture() {
        return architecture == null ? null : Architecture.parse(architecture);
    }

    /** What is wrong with these settings, as the Main tab shows it; null if nothing. */
    public String validate() {
        Architecture arch = parsedArchitecture();
        if (arch == null) {
            return "Architecture must be x86_64 or riscv64, not '" + architecture + "'.";
        }
        if (kernel == null || kernel.isBlank()) {
            return "Choose the guest image to boot (a multiboot/ELF kernel for x86_64, a Linux Image or ELF for riscv64).";
        }
        if (memoryMiB < 1 || memoryMiB > MAX_MEMORY_MIB) {
            return "Memory must be 1-" + MAX_MEMORY_MIB + " MiB, not " + memoryMiB + ".";
        }
        if (vcpus < 1 || vcpus > VmConfig.MAX_VCPUS) {
            return "vCPUs must be 1-" + VmConfig.MAX_VCPUS + ", not " + vcpus + ".";
        }
        String v = vendor == null ? "" : vendor.toLowerCase(Locale.ROOT);
        if (!v.equals("intel") && !v.equals("amd")) {
            return "Vendor must be intel or amd, not '" + vendor + "'.";
        }
        if (arch != Architecture.X86_64 && !v.equals("intel")) {
            return "The vendor (Intel VMX / AMD SVM) applies to x86_64 guests only.";
        }
        return null;
    }

    /** The core's VM configuration for an already resolved guest image path. */
    public VmConfig toVmConfig(java.nio.file.Path resolvedKernel) {
        return VmConfig.defaults(parsedArchitecture())
                .withKernel(resolvedKernel)
                .withMemoryMiB(memoryMiB)
                .withSmp(vcpus)
                .withVendor(vendor.toLowerCase(Locale.ROOT));
    }
}
