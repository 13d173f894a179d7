/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.trace;

import java.nio.file.Path;
import java.util.function.Function;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.handlers.HandlerUtil;

/** Open KVM Trace...: asks for a trace file and shows it in the Exit Timeline and Exit Statistics views. */
public final class OpenKvmTraceHandler extends AbstractHandler {
    public static final String COMMAND_ID = "io.hvdbg.debug.ui.commands.openKvmTrace";

    /** Asks for the file (null: canceled); tests replace the native dialog. */
    public static volatile Function<Shell, String> fileChooser = OpenKvmTraceHandler::askForFile;

    @Override
    public Object execute(ExecutionEvent event) {
        String file = fileChooser.apply(HandlerUtil.getActiveShell(event));
        if (file != null) {
            TraceInput.get().open(Path.of(file));
        }
        return null;
    }

    private static String askForFile(Shell shell) {
        FileDialog d = new FileDialog(shell, SWT.OPEN);
        d.setText("Open KVM Trace");
        d.setFilterNames(new String[] {"Exit traces (ftrace, trace-cmd report, perf script, .hvtrace)", "All files"});
        d.setFilterExtensions(new String[] {"*.kvmtrace;*.hvtrace;*.txt;trace", "*"});
        return d.open();
    }
}
