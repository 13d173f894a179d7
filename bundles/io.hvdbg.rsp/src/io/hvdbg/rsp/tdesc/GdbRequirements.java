/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.tdesc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.vcpu.RegisterDescriptor;

/**
 * What gdb insists on before it accepts a target description for an architecture
 * (i386_validate_tdesc_p, riscv_check_tdesc_feature): the registers each standard feature
 * must hold, by name. Checking this here turns "gdb silently fell back to a default
 * description" into a message naming the missing register.
 */
public final class GdbRequirements {
    private static final Map<String, List<String>> X86_64 = Map.of(
            "org.gnu.gdb.i386.core", List.of("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9",
                    "r10", "r11", "r12", "r13", "r14", "r15", "rip", "eflags", "cs", "ss", "ds", "es", "fs", "gs",
                    "st0", "st1", "st2", "st3", "st4", "st5", "st6", "st7", "fctrl", "fstat", "ftag", "fiseg",
                    "fioff", "foseg", "fooff", "fop"),
            "org.gnu.gdb.i386.sse", List.of("xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",
                    "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "mxcsr"));

    /** RISC-V integer registers: gdb accepts the ABI name or xN. */
    private static final String[] RISCV_ABI = {"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "fp", "s1", "a0",
        "a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3",
        "t4", "t5", "t6"};

    private GdbRequirements() {
    }

    /** Problems gdb would have with the register list; empty if it is acceptable. */
    public static List<String> check(Architecture arch, List<RegisterDescriptor> registers) {
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> byFeature = new HashMap<>();
        Set<Integer> numbers = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (RegisterDescriptor r : registers) {
            byFeature.computeIfAbsent(r.feature(), k -> new HashSet<>()).add(r.name());
            if (!numbers.add(r.regnum())) {
                problems.add("gdb register number " + r.regnum() + " is used twice (" + r.name() + ")");
            }
            if (!names.add(r.name())) {
                problems.add("register name " + r.name() + " is used twice");
            }
            if (r.bitSize() <= 0 || r.bitSize() % 8 != 0) {
                problems.add("register " + r.name() + " has bit size " + r.bitSize() + " (must be a positive multiple of 8)");
            }
        }
        if (arch == Architecture.X86_64) {
            for (Map.Entry<String, List<String>> e : X86_64.entrySet()) {
                Set<String> have = byFeature.getOrDefault(e.getKey(), Set.of());
                for (String n : e.getValue()) {
                    if (!have.contains(n)) {
                        problems.add("feature " + e.getKey() + " lacks register " + n);
                    }
                }
            }
        } else {
            Set<String> cpu = byFeature.getOrDefault("org.gnu.gdb.riscv.cpu", Set.of());
            for (int i = 1; i < 32; i++) {
                if (!cpu.contains(RISCV_ABI[i]) && !cpu.contains("x" + i) && !(i == 8 && cpu.contains("s0"))) {
                    problems.add("feature org.gnu.gdb.riscv.cpu lacks register x" + i + " (" + RISCV_ABI[i] + ")");
                }
            }
            if (!cpu.contains("pc")) {
                problems.add("feature org.gnu.gdb.riscv.cpu lacks register pc");
            }
        }
        return problems;
    }
}
