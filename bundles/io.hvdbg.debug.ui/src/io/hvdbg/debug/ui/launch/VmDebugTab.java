/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.launch;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

import io.hvdbg.debug.core.HvdbgDebugCore;
import io.hvdbg.debug.core.breakpoints.ExitReasonBreakpoint;
import io.hvdbg.debug.core.launch.VmLaunchDelegate;
import io.hvdbg.debug.ui.HvdbgDebugUI;

/**
 * Debug tab of an "hvdbg Virtual Machine": stop at entry, the ELF with the guest's symbols and
 * the launch's own exit breakpoints (validated line by line with the breakpoints' own check).
 */
public final class VmDebugTab extends HvdbgLaunchTab {
    public static final String ID = "io.hvdbg.debug.ui.launch.debugTab";

    private Button stopAtEntry;
    private Text symbolsText;
    private Text breakpointsText;

    @Override
    public void createControl(Composite parent) {
        Composite top = new Composite(parent, SWT.NONE);
        top.setLayout(new GridLayout(2, false));
        setControl(top);
        stopAtEntry = checkBox(top, "&Stop at the first instruction (else run until an exit breakpoint)");
        symbolsText = textField(top, "S&ymbols (ELF):", "Optional; by default the guest image itself when it is an ELF");
        Label l = new Label(top, SWT.NONE);
        l.setText("Initial e&xit breakpoints, one per line: REASON [CONDITION]  (e.g. CPUID leaf=7, IO port=0x3f8-0x3ff)");
        l.setLayoutData(new GridData(SWT.BEGINNING, SWT.CENTER, false, false, 2, 1));
        breakpointsText = new Text(top, SWT.BORDER | SWT.MULTI | SWT.V_SCROLL);
        GridData gd = new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1);
        gd.heightHint = 80;
        breakpointsText.setLayoutData(gd);
        breakpointsText.addModifyListener(e -> changed());
    }

    private List<String> breakpointLines() {
        List<String> lines = new ArrayList<>();
        for (String line : breakpointsText.getText().split("\\R")) {
            if (!line.isBlank()) {
                lines.add(line.trim());
            }
        }
        return lines;
    }

    @Override
    public void setDefaults(ILaunchConfigurationWorkingCopy configuration) {
        configuration.setAttribute(VmLaunchDelegate.ATTR_STOP_AT_ENTRY, false);
        configuration.setAttribute(VmLaunchDelegate.ATTR_SYMBOLS, "");
        configuration.setAttribute(VmLaunchDelegate.ATTR_EXIT_BREAKPOINTS, List.<String>of());
    }

    @Override
    public void initializeFrom(ILaunchConfiguration configuration) {
        try {
            stopAtEntry.setSelection(configuration.getAttribute(VmLaunchDelegate.ATTR_STOP_AT_ENTRY, false));
            symbolsText.setText(configuration.getAttribute(VmLaunchDelegate.ATTR_SYMBOLS, ""));
            breakpointsText.setText(String.join("\n",
                    configuration.getAttribute(VmLaunchDelegate.ATTR_EXIT_BREAKPOINTS, List.<String>of())));
        } catch (CoreException e) {
            HvdbgDebugCore.log(e.getStatus());
        }
    }

    @Override
    public void performApply(ILaunchConfigurationWorkingCopy configuration) {
        configuration.setAttribute(VmLaunchDelegate.ATTR_STOP_AT_ENTRY, stopAtEntry.getSelection());
        configuration.setAttribute(VmLaunchDelegate.ATTR_SYMBOLS, symbolsText.getText().trim());
        configuration.setAttribute(VmLaunchDelegate.ATTR_EXIT_BREAKPOINTS, breakpointLines());
    }

    @Override
    public boolean isValid(ILaunchConfiguration configuration) {
        setErrorMessage(null);
        String symbols;
        List<String> breakpoints;
        try {
            symbols = configuration.getAttribute(VmLaunchDelegate.ATTR_SYMBOLS, "");
            breakpoints = configuration.getAttribute(VmLaunchDelegate.ATTR_EXIT_BREAKPOINTS, List.<String>of());
        } catch (CoreException e) {
            setErrorMessage(e.getMessage());
            return false;
        }
        for (String line : breakpoints) {
            String[] b = VmLaunchDelegate.parseExitBreakpoint(line);
            String problem = b == null ? null : ExitReasonBreakpoint.validate(b[0], b[1], 0);
            if (problem != null) {
                setErrorMessage("Exit breakpoint '" + line.trim() + "': " + problem);
                return false;
            }
        }
        if (symbols.isBlank() || symbols.contains("${")) {
            return true;
        }
        try {
            if (!Files.isRegularFile(Path.of(symbols)) || !Files.isReadable(Path.of(symbols))) {
                setErrorMessage("Symbol file " + symbols + " does not exist or is not readable.");
                return false;
            }
        } catch (InvalidPathException e) {
            setErrorMessage("Symbol file '" + symbols + "' is not a valid path.");
            return false;
        }
        return true;
    }

    @Override
    public String getName() {
        return "Debug";
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public Image getImage() {
        return HvdbgDebugUI.image(HvdbgDebugUI.IMG_HVDBG);
    }
}
