/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.trace;

import org.eclipse.core.runtime.IPath;
import org.eclipse.ui.IEditorLauncher;

/**
 * File > Open File... (and the Project Explorer) on a trace file name associated in plugin.xml
 * (*.kvmtrace, *.hvtrace, ftrace's {@code trace}, the kvm-*.txt names of docs/kvm-traces.md):
 * opens it in the exit views rather than in a text editor.
 */
public final class KvmTraceEditorLauncher implements IEditorLauncher {
    public static final String ID = "io.hvdbg.debug.ui.kvmTraceLauncher";

    @Override
    public void open(IPath file) {
        TraceInput.get().open(file.toPath());
    }
}
