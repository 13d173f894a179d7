/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.trace;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;

/** Close Trace: the exit views stop showing the opened trace and follow the debug context again. */
public final class CloseTraceHandler extends AbstractHandler {
    public static final String COMMAND_ID = "io.hvdbg.debug.ui.commands.closeTrace";

    @Override
    public Object execute(ExecutionEvent event) {
        TraceInput.get().close();
        return null;
    }
}
