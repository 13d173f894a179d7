/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.MachineFactory;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.VmConfig;
import io.hvdbg.core.loader.ImageFormatException;

/** Creates x86_64 machines ({@link X86Machine}). */
public final class X86MachineFactory implements MachineFactory {
    @Override
    public Architecture architecture() {
        return Architecture.X86_64;
    }

    @Override
    public VirtualMachine create(VmConfig config) throws ImageFormatException {
        if (config.architecture() != Architecture.X86_64) {
            throw new IllegalArgumentException("the x86_64 factory cannot build a " + config.architecture().cliName()
                    + " machine");
        }
        if (config.isa() != null) {
            throw new IllegalArgumentException("--isa applies to riscv64 guests, not x86_64");
        }
        return new X86Machine(config);
    }
}
