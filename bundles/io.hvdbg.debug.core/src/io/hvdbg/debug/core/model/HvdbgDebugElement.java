/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.core.model;

import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.DebugElement;
import org.eclipse.debug.core.model.IDebugTarget;

import io.hvdbg.debug.core.HvdbgDebugCore;

/** Common base of hvdbg's debug elements: the model identifier and error helper. */
public abstract class HvdbgDebugElement extends DebugElement {
    /** Debug model identifier of hvdbg's targets, threads, frames and breakpoints. */
    public static final String MODEL_ID = "io.hvdbg.debug.model";

    protected HvdbgDebugElement(IDebugTarget target) {
        super(target);
    }

    @Override
    public String getModelIdentifier() {
        return MODEL_ID;
    }

    static DebugException debugException(String message, Throwable cause) {
        return new DebugException(HvdbgDebugCore.error(message, cause));
    }
}
