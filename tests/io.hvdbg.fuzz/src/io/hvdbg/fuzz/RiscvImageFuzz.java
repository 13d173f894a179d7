/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.fuzz;

import io.hvdbg.core.Architecture;
import io.hvdbg.riscv.RiscvMachineFactory;

/** RISC-V loaders (Linux Image, ELF64) on arbitrary files, then a short run of what loaded. */
public final class RiscvImageFuzz {
    private static final RiscvMachineFactory FACTORY = new RiscvMachineFactory();

    public static void fuzzerTestOneInput(byte[] data) {
        GuestRuns.bootAndRun(FACTORY, Architecture.RISCV64, data, "riscv-image");
    }
}
