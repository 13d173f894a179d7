/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpuid;

import java.util.List;
import java.util.Locale;

/**
 * The CPUID a VMM asks for (the table it passes to KVM_SET_CPUID2): a preset, like QEMU's
 * {@code -cpu} models, plus per-feature overrides ({@code +pcid,-x2apic} or
 * {@code pcid=off}). Every model also gets KVM's paravirt leaves, as QEMU adds them under KVM.
 */
public final class CpuModels {
    public static final String HOST_MAX = "host-max";
    public static final List<String> NAMES = List.of(HOST_MAX, "qemu64", "Skylake-Client", "EPYC");

    private CpuModels() {
    }

    /**
     * The requested table for {@code spec} = {@code MODEL[,+feat|-feat|feat=on|off...]} (null =
     * host-max); {@code extraOverrides} is a further comma-separated override list (the VM
     * option {@code cpuid}).
     */
    public static CpuidTable requested(String spec, String extraOverrides, CpuidTable supported, boolean amd) {
        String s = spec == null || spec.isBlank() ? HOST_MAX : spec.trim();
        String[] parts = s.split(",");
        CpuidTable t = preset(parts[0].trim(), supported, amd);
        for (int i = 1; i < parts.length; i++) {
            override(t, parts[i], "--cpu");
        }
        if (extraOverrides != null && !extraOverrides.isBlank()) {
            for (String o : extraOverrides.split(",")) {
                override(t, o, "cpuid");
            }
        }
        return t;
    }

    private static void override(CpuidTable t, String item, String where) {
        String o = item.trim();
        if (o.isEmpty()) {
            return;
        }
        boolean on;
        String name;
        if (o.startsWith("+") || o.startsWith("-")) {
            on = o.charAt(0) == '+';
            name = o.substring(1);
        } else if (o.contains("=")) {
            name = o.substring(0, o.indexOf('='));
            String v = o.substring(o.indexOf('=') + 1).toLowerCase(Locale.ROOT);
            if (!v.equals("on") && !v.equals("off")) {
                throw new IllegalArgumentException(where + ": '" + o + "': a feature is set with =on or =off");
            }
            on = v.equals("on");
        } else {
            throw new IllegalArgumentException(where + ": '" + o + "' is not +FEATURE, -FEATURE or FEATURE=on|off");
        }
        CpuidFeatures.Feature f = CpuidFeatures.byName(name);
        if (f == null) {
            throw new IllegalArgumentException(where + ": '" + name + "' is not a CPUID feature name (Linux names, e.g. pcid, x2apic, smep)");
        }
        t.setFeature(f, on);
    }

    private static CpuidTable preset(String name, CpuidTable supported, boolean amd) {
        CpuidTable t;
        switch (name.toLowerCase(Locale.ROOT)) {
            case "host-max", "host", "max" -> {
                return supported.copy();
            }
            case "qemu64" -> {
                t = new CpuidTable().vendor(0, 0xD, "AuthenticAMD");
                t.set(1, 0, 0x00060FB1, 8 << 8, 0, 0);
                t.features("sse3 cx16 hypervisor fpu de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36"
                        + " clflush mmx fxsr sse sse2");
                t.vendor(0x80000000, 0x8000000A, "AuthenticAMD");
                t.features("lahf_lm svm syscall nx lm");
                t.set(0x80000008, 0, 0x3028, 0, 0, 0);
                t.brand("QEMU Virtual CPU version 2.5+");
            }
            case "skylake-client" -> {
                t = new CpuidTable().vendor(0, 0xD, "GenuineIntel");
                t.set(1, 0, 0x000506E3, 8 << 8, 0, 0);
                t.features("sse3 pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes"
                        + " xsave avx f16c rdrand hypervisor");
                t.features("fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse"
                        + " sse2 ss");
                t.features("arat");
                t.set(7, 0, 0, 0, 0, 0).features("fsgsbase bmi1 hle avx2 smep bmi2 erms invpcid rtm rdseed adx smap"
                        + " clflushopt");
                t.set(0xD, 0, 7, 832, 832, 0);
                t.set(0xD, 1, 0, 0, 0, 0).features("xsaveopt xsavec xgetbv1");
                t.set(0x80000000, 0, 0x80000008, 0, 0, 0);
                t.features("lahf_lm abm 3dnowprefetch syscall nx pdpe1gb rdtscp lm invtsc");
                t.set(0x80000008, 0, 0x3027, 0, 0, 0);
                t.brand("Intel Core Processor (Skylake)");
            }
            case "epyc" -> {
                t = new CpuidTable().vendor(0, 0xD, "AuthenticAMD");
                t.set(1, 0, 0x00800F12, 8 << 8, 0, 0);
                t.features("sse3 pclmulqdq ssse3 fma cx16 sse4_1 sse4_2 movbe popcnt aes xsave avx f16c rdrand"
                        + " hypervisor");
                t.features("fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse"
                        + " sse2 ht");
                t.features("arat");
                t.set(7, 0, 0, 0, 0, 0).features("fsgsbase bmi1 avx2 smep bmi2 rdseed adx smap clflushopt sha_ni");
                t.set(0xD, 0, 7, 832, 832, 0);
                t.set(0xD, 1, 0, 0, 0, 0).features("xsaveopt xsavec xgetbv1");
                t.vendor(0x80000000, 0x8000001F, "AuthenticAMD");
                t.features("lahf_lm cmp_legacy svm cr8_legacy abm sse4a misalignsse 3dnowprefetch osvw topoext");
                t.features("ext_fpu ext_pse ext_tsc ext_msr ext_pae ext_cx8 ext_apic ext_pge ext_cmov ext_pat ext_fxsr"
                        + " syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm");
                t.set(0x80000008, 0, 0x3030, 0, 0, 0).features("clzero xsaveerptr");
                t.brand("AMD EPYC Processor");
            }
            default -> throw new IllegalArgumentException("--cpu: unknown CPU model '" + name + "' (known: "
                    + String.join(", ", NAMES) + ")");
        }
        // The VMM adds KVM's paravirt leaves to every model, as QEMU does with accel=kvm.
        int[] sig = supported.find(SupportedCpuid.KVM_CPUID_SIGNATURE, 0);
        t.set(SupportedCpuid.KVM_CPUID_SIGNATURE, 0, sig[0], sig[1], sig[2], sig[3]);
        int[] pv = supported.find(SupportedCpuid.KVM_CPUID_FEATURES, 0);
        t.set(SupportedCpuid.KVM_CPUID_FEATURES, 0, pv[0], pv[1], pv[2], pv[3]);
        int[] topo0 = supported.find(0xB, 0);
        if (topo0 != null) {
            int[] topo1 = supported.find(0xB, 1);
            t.set(0xB, 0, topo0[0], topo0[1], topo0[2], 0);
            t.set(0xB, 1, topo1[0], topo1[1], topo1[2], 0);
        }
        return t;
    }
}
