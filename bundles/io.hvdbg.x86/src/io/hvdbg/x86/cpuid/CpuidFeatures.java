/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpuid;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Names of the CPUID feature bits (Intel SDM vol. 2A "CPUID", AMD APM vol. 3 appendix E; names as
 * Linux's cpufeatures.h spells them), for the feature words KVM tracks per vCPU. Every bit of
 * each word decodes: unnamed positions are reserved.
 */
public final class CpuidFeatures {
    public static final int EAX = 0, EBX = 1, ECX = 2, EDX = 3;

    /** One feature word: a register of a leaf/subleaf whose bits are individual features. */
    public record Word(int leaf, int subleaf, int reg, String[] names) {
        public String label() {
            return subleaf == 0 && !CpuidTable.indexed(leaf) ? String.format("CPUID 0x%x %s", leaf, REG_NAMES[reg])
                    : String.format("CPUID 0x%x.%d %s", leaf, subleaf, REG_NAMES[reg]);
        }
    }

    /** One named feature bit. */
    public record Feature(int leaf, int subleaf, int reg, int bit, String name) {
        public int mask() {
            return 1 << bit;
        }
    }

    static final String[] REG_NAMES = {"EAX", "EBX", "ECX", "EDX"};

    private static final List<Word> WORDS = new ArrayList<>();
    private static final Map<String, Feature> BY_NAME = new HashMap<>();

    private static void word(int leaf, int sub, int reg, String spec) {
        String[] names = new String[32];
        for (String item : spec.trim().split("\\s+")) {
            int colon = item.indexOf(':');
            int bit = Integer.parseInt(item.substring(0, colon));
            String name = item.substring(colon + 1);
            names[bit] = name;
            Feature f = new Feature(leaf, sub, reg, bit, name);
            if (BY_NAME.putIfAbsent(name, f) != null) {
                throw new IllegalStateException("duplicate feature name " + name);
            }
        }
        WORDS.add(new Word(leaf, sub, reg, names));
    }

    static {
        word(1, 0, ECX, "0:sse3 1:pclmulqdq 2:dtes64 3:monitor 4:ds_cpl 5:vmx 6:smx 7:est 8:tm2 9:ssse3 10:cid 11:sdbg"
                + " 12:fma 13:cx16 14:xtpr 15:pdcm 17:pcid 18:dca 19:sse4_1 20:sse4_2 21:x2apic 22:movbe 23:popcnt"
                + " 24:tsc_deadline_timer 25:aes 26:xsave 27:osxsave 28:avx 29:f16c 30:rdrand 31:hypervisor");
        word(1, 0, EDX, "0:fpu 1:vme 2:de 3:pse 4:tsc 5:msr 6:pae 7:mce 8:cx8 9:apic 11:sep 12:mtrr 13:pge 14:mca"
                + " 15:cmov 16:pat 17:pse36 18:pn 19:clflush 21:dts 22:acpi 23:mmx 24:fxsr 25:sse 26:sse2 27:ss 28:ht"
                + " 29:tm 30:ia64 31:pbe");
        word(6, 0, EAX, "0:dtherm 1:ida 2:arat 4:pln 5:ecmd 6:pts 7:hwp 8:hwp_notify 9:hwp_act_window 10:hwp_epp"
                + " 11:hwp_pkg_req 13:hdc 14:turbo_max_3 15:hwp_highest_perf_change 16:hwp_peci_override"
                + " 17:hwp_flexible 18:hwp_fast_request 19:hfi 20:hwp_ignore_idle 23:itd");
        word(6, 0, ECX, "0:aperfmperf 3:epb");
        word(7, 0, EBX, "0:fsgsbase 1:tsc_adjust 2:sgx 3:bmi1 4:hle 5:avx2 6:fdp_excptn_only 7:smep 8:bmi2 9:erms"
                + " 10:invpcid 11:rtm 12:cqm 13:zero_fcs_fds 14:mpx 15:rdt_a 16:avx512f 17:avx512dq 18:rdseed 19:adx"
                + " 20:smap 21:avx512ifma 23:clflushopt 24:clwb 25:intel_pt 26:avx512pf 27:avx512er 28:avx512cd"
                + " 29:sha_ni 30:avx512bw 31:avx512vl");
        word(7, 0, ECX, "0:prefetchwt1 1:avx512vbmi 2:umip 3:pku 4:ospke 5:waitpkg 6:avx512_vbmi2 7:shstk 8:gfni"
                + " 9:vaes 10:vpclmulqdq 11:avx512_vnni 12:avx512_bitalg 13:tme 14:avx512_vpopcntdq 16:la57"
                + " 22:rdpid 23:key_locker 24:bus_lock_detect 25:cldemote 27:movdiri 28:movdir64b 29:enqcmd"
                + " 30:sgx_lc 31:pks");
        word(7, 0, EDX, "1:sgx_keys 2:avx512_4vnniw 3:avx512_4fmaps 4:fsrm 5:uintr 8:avx512_vp2intersect"
                + " 9:srbds_ctrl 10:md_clear 11:rtm_always_abort 13:tsx_force_abort 14:serialize 15:hybrid_cpu"
                + " 16:tsxldtrk 18:pconfig 19:arch_lbr 20:ibt 22:amx_bf16 23:avx512_fp16 24:amx_tile 25:amx_int8"
                + " 26:spec_ctrl 27:intel_stibp 28:flush_l1d 29:arch_capabilities 30:core_capabilities"
                + " 31:spec_ctrl_ssbd");
        word(7, 1, EAX, "0:sha512 1:sm3 2:sm4 3:rao_int 4:avx_vnni 5:avx512_bf16 6:lass 7:cmpccxadd"
                + " 8:arch_perfmon_ext 10:fzrm 11:fsrs 12:fsrc 17:fred 18:lkgs 19:wrmsrns 21:amx_fp16 22:hreset"
                + " 23:avx_ifma 26:lam 27:msrlist");
        word(7, 1, EDX, "4:avx_vnni_int8 5:avx_ne_convert 8:amx_complex 10:avx_vnni_int16 14:prefetchiti"
                + " 18:cet_sss 19:avx10");
        word(7, 2, EDX, "0:psfd 1:ipred_ctrl 2:rrsba_ctrl 3:ddpd_u 4:bhi_ctrl 5:mcdt_no 6:uc_lock_disable"
                + " 7:monitor_mitg_no");
        word(0xD, 0, EAX, "0:xfeature_x87 1:xfeature_sse 2:xfeature_avx 3:xfeature_bndregs 4:xfeature_bndcsr"
                + " 5:xfeature_opmask 6:xfeature_zmm_hi256 7:xfeature_hi16_zmm 9:xfeature_pkru"
                + " 17:xfeature_xtilecfg 18:xfeature_xtiledata");
        word(0xD, 1, EAX, "0:xsaveopt 1:xsavec 2:xgetbv1 3:xsaves 4:xfd");
        word(0x80000001, 0, ECX, "0:lahf_lm 1:cmp_legacy 2:svm 3:extapic 4:cr8_legacy 5:abm 6:sse4a 7:misalignsse"
                + " 8:3dnowprefetch 9:osvw 10:ibs 11:xop 12:skinit 13:wdt 15:lwp 16:fma4 17:tce 19:nodeid_msr"
                + " 21:tbm 22:topoext 23:perfctr_core 24:perfctr_nb 26:bpext 27:ptsc 28:perfctr_llc 29:mwaitx"
                + " 30:addr_mask_ext");
        word(0x80000001, 0, EDX, "0:ext_fpu 1:ext_vme 2:ext_de 3:ext_pse 4:ext_tsc 5:ext_msr 6:ext_pae 7:ext_mce"
                + " 8:ext_cx8 9:ext_apic 11:syscall 12:ext_mtrr 13:ext_pge 14:ext_mca 15:ext_cmov 16:ext_pat"
                + " 17:ext_pse36 19:mp 20:nx 22:mmxext 23:ext_mmx 24:ext_fxsr 25:fxsr_opt 26:pdpe1gb 27:rdtscp"
                + " 29:lm 30:3dnowext 31:3dnow");
        word(0x80000007, 0, EBX, "0:overflow_recov 1:succor 2:hwa 3:smca");
        word(0x80000007, 0, EDX, "0:ts 1:fid 2:vid 3:ttp 4:tm_amd 5:stc 6:100mhzsteps 7:hwpstate 8:invtsc 9:cpb"
                + " 10:eff_freq_ro 11:proc_feedback 12:proc_power_reporting 13:connected_standby 14:rapl");
        word(0x80000008, 0, EBX, "0:clzero 1:irperf 2:xsaveerptr 3:invlpgb 4:rdpru 6:mba 8:mcommit 9:wbnoinvd"
                + " 12:amd_ibpb 13:int_wbinvd 14:amd_ibrs 15:amd_stibp 16:ibrs_always_on 17:stibp_always_on"
                + " 18:ibrs_preferred 19:ibrs_same_mode 20:efer_lmsle_unsupported 21:invlpgb_nested 23:amd_ppin"
                + " 24:amd_ssbd 25:virt_ssbd 26:amd_ssb_no 27:cppc 28:amd_psfd 29:btc_no 30:ibpb_ret");
    }

    private CpuidFeatures() {
    }

    /** The feature words in table order. */
    public static List<Word> words() {
        return List.copyOf(WORDS);
    }

    /** The word for a leaf/subleaf/register, or null if that register is not a feature word. */
    public static Word word(int leaf, int subleaf, int reg) {
        for (Word w : WORDS) {
            if (w.leaf == leaf && w.subleaf == subleaf && w.reg == reg) {
                return w;
            }
        }
        return null;
    }

    /** True if the register of the leaf/subleaf holds feature flags (masked by KVM's capabilities). */
    public static boolean isFeatureWord(int leaf, int subleaf, int reg) {
        return word(leaf, subleaf, reg) != null;
    }

    /** The feature of a name (case-insensitive, '-' and '_' alike), or null. */
    public static Feature byName(String name) {
        return BY_NAME.get(name.toLowerCase(Locale.ROOT).replace('-', '_'));
    }

    /** The name of a bit, or {@code reserved} for a position without a defined feature. */
    public static String name(int leaf, int subleaf, int reg, int bit) {
        Word w = word(leaf, subleaf, reg);
        String n = w == null ? null : w.names[bit];
        return n == null ? "reserved" : n;
    }
}
