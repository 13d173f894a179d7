/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.launch;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

import io.hvdbg.core.Architecture;
import io.hvdbg.debug.core.HvdbgDebugCore;
import io.hvdbg.debug.core.launch.RemoteStubSettings;
import io.hvdbg.debug.ui.HvdbgDebugUI;

/**
 * Main tab of a "GDB Remote Stub" configuration: where the stub listens (QEMU {@code -s} is
 * localhost:1234; {@code hvdbg run --gdb PORT}), the architecture, an optional ELF for
 * symbols and whether to stay stopped after attaching. Messages come from
 * {@link RemoteStubSettings#validate()}, the delegate's own check.
 */
public final class RemoteStubTab extends HvdbgLaunchTab {
    public static final String ID = "io.hvdbg.debug.ui.launch.remoteStubTab";

    private Text hostText;
    private Text portText;
    private Combo archCombo;
    private Text symbolsText;
    private Button stopAtEntry;

    @Override
    public void createControl(Composite parent) {
        Composite top = new Composite(parent, SWT.NONE);
        top.setLayout(new GridLayout(2, false));
        setControl(top);
        hostText = textField(top, "&Host:", "Host name or address of the GDB stub");
        portText = textField(top, "&Port:", "TCP port of the stub: 1234 for QEMU -s, the PORT of hvdbg run --gdb PORT");
        new Label(top, SWT.NONE).setText("&Architecture:");
        archCombo = new Combo(top, SWT.READ_ONLY | SWT.DROP_DOWN);
        archCombo.add(RemoteStubSettings.AUTO);
        for (Architecture a : Architecture.values()) {
            archCombo.add(a.cliName());
        }
        archCombo.addModifyListener(e -> changed());
        symbolsText = textField(top, "&Symbols (ELF):", "Optional: the guest's ELF, for symbol names in the Debug view");
        stopAtEntry = checkBox(top, "&Stay stopped after attaching");
    }

    @Override
    public void setDefaults(ILaunchConfigurationWorkingCopy configuration) {
        RemoteStubSettings.defaults().applyTo(configuration);
    }

    @Override
    public void initializeFrom(ILaunchConfiguration configuration) {
        RemoteStubSettings s;
        try {
            s = RemoteStubSettings.from(configuration);
        } catch (CoreException e) {
            HvdbgDebugCore.log(e.getStatus());
            s = RemoteStubSettings.defaults();
        }
        hostText.setText(s.host());
        portText.setText(Integer.toString(s.port()));
        archCombo.setText(s.architecture());
        symbolsText.setText(s.symbols());
        stopAtEntry.setSelection(s.stopAtEntry());
    }

    /** What the port field holds: its number, or -1 if it is not one (validated with a message). */
    private int port() {
        try {
            return Integer.parseInt(portText.getText().trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    RemoteStubSettings settings() {
        return new RemoteStubSettings(hostText.getText().trim(), port(), archCombo.getText(),
                symbolsText.getText().trim(), stopAtEntry.getSelection());
    }

    @Override
    public void performApply(ILaunchConfigurationWorkingCopy configuration) {
        settings().applyTo(configuration);
    }

    @Override
    public boolean isValid(ILaunchConfiguration configuration) {
        setErrorMessage(null);
        setMessage(null);
        String problem;
        if (portText != null && !portText.isDisposed() && port() < 0) {
            problem = "Port '" + portText.getText().trim() + "' is not a number.";
        } else {
            try {
                problem = RemoteStubSettings.from(configuration).validate();
            } catch (CoreException e) {
                problem = e.getMessage();
            }
        }
        if (problem != null) {
            setErrorMessage(problem);
            return false;
        }
        return true;
    }

    @Override
    public String getName() {
        return "Stub";
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public Image getImage() {
        return HvdbgDebugUI.image(HvdbgDebugUI.IMG_VM);
    }
}
