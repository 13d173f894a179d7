/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.MachineFactory;

/** The bundle's machine factory is the one for its architecture (what --arch selects). */
class MachineFactoryArchitectureTest {
    @Test
    void factoryReportsItsArchitecture() {
        MachineFactory f = new RiscvMachineFactory();
        assertEquals(Architecture.RISCV64, f.architecture());
        assertEquals(Architecture.RISCV64, Architecture.parse(f.architecture().cliName()));
    }
}
