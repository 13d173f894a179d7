/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.MachineFactory;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.VmConfig;
import io.hvdbg.core.loader.ImageFormatException;

/** Creates riscv64 machines. */
public final class RiscvMachineFactory implements MachineFactory {
    @Override
    public Architecture architecture() {
        return Architecture.RISCV64;
    }

    @Override
    public VirtualMachine create(VmConfig config) throws ImageFormatException {
        if (config.architecture() != Architecture.RISCV64) {
            throw new IllegalArgumentException("the riscv64 factory cannot build a " + config.architecture().cliName()
                    + " machine");
        }
        return new RiscvMachine(config);
    }
}
