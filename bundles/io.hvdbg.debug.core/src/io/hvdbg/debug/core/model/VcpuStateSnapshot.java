/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.core.model;

import java.util.ArrayList;
import java.util.List;

import io.hvdbg.core.Vcpu;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.inspect.StateRow;
import io.hvdbg.core.vcpu.GuestStateProtectedException;
import io.hvdbg.core.vcpu.RegisterDescriptor;

/**
 * The state of one vCPU at a stop, as the vCPU State view shows it: the registers the debugger
 * sees, then the architecture's system state (control registers, mode, pending exits).
 *
 * @param title what it is the state of, e.g. {@code vCPU 0 of x86_64 VM (paused)}
 * @param rows  group, name, value and decoded meaning of each row
 */
public record VcpuStateSnapshot(String title, List<StateRow> rows) {
    public VcpuStateSnapshot {
        rows = List.copyOf(rows);
    }

    /**
     * Reads a vCPU's state. Call it on the VM thread at a stop (a {@code VmListener}) or while
     * the VM is paused: a running vCPU changes under the reader.
     */
    public static VcpuStateSnapshot capture(VirtualMachine vm, int vcpuIndex, String when) {
        Vcpu v = vm.vcpu(vcpuIndex);
        List<StateRow> rows = new ArrayList<>();
        for (RegisterDescriptor r : v.registers()) {
            if (r.bitSize() > 64) {
                continue; // x87/vector registers: shown by the Registers view of the debug model
            }
            try {
                rows.add(new StateRow(r.group(), r.name(), v.readRegister(r.regnum()), ""));
            } catch (GuestStateProtectedException e) {
                rows.add(new StateRow(r.group(), r.name(), 0, "protected (TDX)"));
            }
        }
        rows.addAll(vm.systemState(vcpuIndex));
        return new VcpuStateSnapshot("vCPU " + vcpuIndex + " of " + vm.architecture().cliName() + " VM"
                + (when == null || when.isEmpty() ? "" : " (" + when + ")"), rows);
    }
}
