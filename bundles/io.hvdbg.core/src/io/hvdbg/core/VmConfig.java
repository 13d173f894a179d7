/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything that defines a VM before it starts: the {@code hvdbg run} options.
 *
 * @param architecture   guest architecture
 * @param memoryMiB      guest RAM in MiB
 * @param smp            number of vCPUs
 * @param vendor         x86 exit flavour: {@code intel} (VMX) or {@code amd} (SVM)
 * @param cpuModel       x86 CPUID preset name, or null for the default
 * @param isa            RISC-V extension list (e.g. {@code rv64imafdc_zba_zbb_zabha}), or null for the default
 * @param tdx            run the x86 guest as an Intel TDX trust domain
 * @param kernel         guest image, or null
 * @param initrd         initial ramdisk, or null
 * @param append         kernel command line, or null
 * @param traceBytes     capacity of the exit trace ring in bytes
 * @param options        architecture-specific settings (key=value), e.g. {@code amd-pge-flush=6.14}
 */
public record VmConfig(Architecture architecture, int memoryMiB, int smp, String vendor, String cpuModel, String isa,
        boolean tdx, Path kernel, Path initrd, String append, long traceBytes, Map<String, String> options) {

    public static final int DEFAULT_MEMORY_MIB = 128;
    public static final long DEFAULT_TRACE_BYTES = 64L << 20;
    public static final int MAX_VCPUS = 255;

    public VmConfig {
        if (architecture == null) {
            throw new IllegalArgumentException("architecture is required");
        }
        if (memoryMiB < 1 || memoryMiB > 65536) {
            throw new IllegalArgumentException("memory must be 1-65536 MiB, not " + memoryMiB);
        }
        if (smp < 1 || smp > MAX_VCPUS) {
            throw new IllegalArgumentException("smp must be 1-" + MAX_VCPUS + ", not " + smp);
        }
        vendor = vendor == null ? "intel" : vendor;
        if (!vendor.equals("intel") && !vendor.equals("amd")) {
            throw new IllegalArgumentException("vendor must be intel or amd, not " + vendor);
        }
        options = Map.copyOf(options == null ? Map.of() : options);
    }

    /** A configuration with defaults for the architecture. */
    public static VmConfig defaults(Architecture architecture) {
        return new VmConfig(architecture, DEFAULT_MEMORY_MIB, 1, "intel", null, null, false, null, null, null,
                DEFAULT_TRACE_BYTES, Map.of());
    }

    public long memoryBytes() {
        return (long) memoryMiB << 20;
    }

    public boolean amd() {
        return vendor.equals("amd");
    }

    public String option(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }

    public VmConfig withMemoryMiB(int mib) {
        return new VmConfig(architecture, mib, smp, vendor, cpuModel, isa, tdx, kernel, initrd, append, traceBytes, options);
    }

    public VmConfig withSmp(int n) {
        return new VmConfig(architecture, memoryMiB, n, vendor, cpuModel, isa, tdx, kernel, initrd, append, traceBytes, options);
    }

    public VmConfig withVendor(String v) {
        return new VmConfig(architecture, memoryMiB, smp, v, cpuModel, isa, tdx, kernel, initrd, append, traceBytes, options);
    }

    public VmConfig withCpuModel(String m) {
        return new VmConfig(architecture, memoryMiB, smp, vendor, m, isa, tdx, kernel, initrd, append, traceBytes, options);
    }

    public VmConfig withIsa(String i) {
        return new VmConfig(architecture, memoryMiB, smp, vendor, cpuModel, i, tdx, kernel, initrd, append, traceBytes, options);
    }

    public VmConfig withTdx(boolean t) {
        return new VmConfig(architecture, memoryMiB, smp, vendor, cpuModel, isa, t, kernel, initrd, append, traceBytes, options);
    }

    public VmConfig withKernel(Path k) {
        return new VmConfig(architecture, memoryMiB, smp, vendor, cpuModel, isa, tdx, k, initrd, append, traceBytes, options);
    }

    public VmConfig withInitrd(Path i) {
        return new VmConfig(architecture, memoryMiB, smp, vendor, cpuModel, isa, tdx, kernel, i, append, traceBytes, options);
    }

    public VmConfig withAppend(String a) {
        return new VmConfig(architecture, memoryMiB, smp, vendor, cpuModel, isa, tdx, kernel, initrd, a, traceBytes, options);
    }

    public VmConfig withTraceBytes(long b) {
        return new VmConfig(architecture, memoryMiB, smp, vendor, cpuModel, isa, tdx, kernel, initrd, append, b, options);
    }

    public VmConfig withOption(String key, String value) {
        Map<String, String> m = new TreeMap<>(options);
        m.put(key, value);
        return new VmConfig(architecture, memoryMiB, smp, vendor, cpuModel, isa, tdx, kernel, initrd, append, traceBytes, m);
    }
}
