/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpu;

/**
 * How the guest's mode changes what the hypervisor may see and do: an Intel TDX trust domain
 * hides its registers from the host (the later TDX issue implements this); an ordinary guest
 * has no restrictions.
 */
public interface GuestModeHook {
    GuestModeHook NONE = new GuestModeHook() {
    };

    /**
     * Called before the debugger reads or writes a register by gdb number; a protected guest
     * throws {@link io.hvdbg.core.vcpu.GuestStateProtectedException}.
     */
    default void checkRegisterAccess(int regnum) {
    }
}
