/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.vcpu;

/**
 * A debugger access to guest state the hypervisor may not see - e.g. the registers or private
 * memory of an Intel TDX guest without the DEBUG attribute. The message says why.
 */
public class GuestStateProtectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GuestStateProtectedException(String message) {
        super(message);
    }
}
