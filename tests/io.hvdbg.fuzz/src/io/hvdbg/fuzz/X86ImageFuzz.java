/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.fuzz;

import io.hvdbg.core.Architecture;
import io.hvdbg.x86.X86MachineFactory;

/** x86 loaders (multiboot v1, ELF64, raw) on arbitrary files, then a short run of what loaded. */
public final class X86ImageFuzz {
    private static final X86MachineFactory FACTORY = new X86MachineFactory();

    public static void fuzzerTestOneInput(byte[] data) {
        GuestRuns.bootAndRun(FACTORY, Architecture.X86_64, data, "x86-image");
    }
}
