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
 * The machine options of an "hvdbg Virtual Machine" beyond the Main tab, as {@code hvdbg run}
 * takes them: kernel arguments ({@code --append}), x86 CPU model / CPUID preset ({@code --cpu}),
 * Intel TDX guest mode ({@code --tdx}), RISC-V ISA string with extensions ({@code --isa}, e.g.
 * {@code rv64imafdc_zba_zabha_svvptc_ziccrse}). Empty means the machine's default.
 */
public record VmOptions(String append, String cpuModel, boolean tdx, String isa) {
    public static final String ATTR_APPEND = HvdbgDebugCore.PLUGIN_ID + ".append";
    public static final String ATTR_CPU_MODEL = HvdbgDebugCore.PLUGIN_ID + ".cpuModel";
    public static final String ATTR_TDX = HvdbgDebugCore.PLUGIN_ID + ".tdx";
    public static final String ATTR_ISA = HvdbgDebugCore.PLUGIN_ID + ".isa";

    public static VmOptions defaults() {
        return new VmOptions("", "", false, "");
    }

    public static VmOptions from(ILaunchConfiguration c) throws CoreException {
        return new VmOptions(c.getAttribute(ATTR_APPEND, ""), c.getAttribute(ATTR_CPU_MODEL, ""),
                c.getAttribute(ATTR_TDX, false), c.getAttribute(ATTR_ISA, ""));
    }

    public void applyTo(ILaunchConfigurationWorkingCopy c) {
        c.setAttribute(ATTR_APPEND, append);
        c.setAttribute(ATTR_CPU_MODEL, cpuModel);
        c.setAttribute(ATTR_TDX, tdx);
        c.setAttribute(ATTR_ISA, isa);
    }

    /** What is wrong for this machine (the same rules as {@code hvdbg run}); null if nothing. */
    public String validate(VmLaunchSettings machine) {
        Architecture arch = machine.parsedArchitecture();
        boolean x86 = arch == Architecture.X86_64;
        String i = isa == null ? "" : isa.trim();
        String cpu = cpuModel == null ? "" : cpuModel.trim();
        if (x86 && !i.isEmpty()) {
            return "ISA extensions apply to riscv64 guests only; clear them for x86_64.";
        }
        if (!x86 && !cpu.isEmpty()) {
            return "The CPU model (CPUID preset) applies to x86_64 guests only.";
        }
        if (!x86 && tdx) {
            return "TDX guest mode applies to x86_64 guests only.";
        }
        if (tdx && "amd".equalsIgnoreCase(machine.vendor())) {
            return "TDX guest mode needs the Intel vendor (TDX is an Intel technology).";
        }
        if (!i.isEmpty()) {
            String l = i.toLowerCase(Locale.ROOT);
            if (!l.startsWith("rv64") || !l.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_')) {
                return "ISA must be an RV64 ISA string such as rv64imafdc_zba_zabha, not '" + i + "'.";
            }
        }
        // MODEL[,+feature|,-feature|,feature=on|off...] as hvdbg run --cpu; the core checks the names.
        if (!cpu.isEmpty() && !cpu.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || "-_,+=.".indexOf(ch) >= 0)) {
            return "CPU model '" + cpu + "' is not MODEL[,+feature,-feature,...] (letters, digits and - _ , + = .).";
        }
        if (cpu.startsWith(",") || cpu.endsWith(",") || cpu.contains(",,")) {
            return "CPU model '" + cpu + "' has an empty entry between commas.";
        }
        if (append != null && append.indexOf('\0') >= 0) {
            return "Kernel arguments must not contain NUL characters.";
        }
        return null;
    }

    /** The core's configuration with these options. */
    public VmConfig applyTo(VmConfig config) {
        VmConfig c = config;
        if (append != null && !append.isBlank()) {
            c = c.withAppend(append.trim());
        }
        if (cpuModel != null && !cpuModel.isBlank()) {
            c = c.withCpuModel(cpuModel.trim());
        }
        if (isa != null && !isa.isBlank()) {
            c = c.withIsa(isa.trim().toLowerCase(Locale.ROOT));
        }
        if (tdx) {
            c = c.withTdx(true);
        }
        return c;
    }
}
