/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.actions;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;

import io.hvdbg.core.exit.ExitCategory;
import io.hvdbg.debug.core.breakpoints.ExitReasonBreakpoint;

/**
 * Asks for an exit breakpoint: the reason (a category from the list, or a vendor-native name
 * typed in), an optional condition and a hit count. OK stays disabled while a value is bad,
 * and the title area says what is wrong ({@link ExitReasonBreakpoint#validate}).
 */
public final class ExitBreakpointDialog extends TitleAreaDialog {
    private Combo reasonCombo;
    private Text conditionText;
    private Spinner hitSpinner;
    private String reason = "CPUID";
    private String condition = "";
    private int hitCount;

    public ExitBreakpointDialog(Shell parent) {
        super(parent);
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText("Add Exit Breakpoint");
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        setTitle("Exit-reason breakpoint");
        setMessage("Suspend a vCPU when it takes a VM exit of this reason, before the hypervisor handles it.");
        Composite area = (Composite) super.createDialogArea(parent);
        Composite c = new Composite(area, SWT.NONE);
        c.setLayout(new GridLayout(2, false));
        c.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        new Label(c, SWT.NONE).setText("&Reason:");
        reasonCombo = new Combo(c, SWT.DROP_DOWN);
        reasonCombo.add("any");
        for (ExitCategory cat : ExitCategory.values()) {
            reasonCombo.add(cat.name());
        }
        reasonCombo.setText(reason);
        reasonCombo.setToolTipText("A category (same on Intel, AMD and RISC-V) or a native name such as EXIT_REASON_MSR_READ");
        reasonCombo.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        new Label(c, SWT.NONE).setText("&Condition:");
        conditionText = new Text(c, SWT.BORDER);
        conditionText.setMessage("e.g. port=0x3f8-0x3ff, msr=0x1b, leaf=7, gpa=0xfee00000-0xfee00fff, ext=TIME");
        conditionText.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        new Label(c, SWT.NONE).setText("&Hit count:");
        hitSpinner = new Spinner(c, SWT.BORDER);
        hitSpinner.setValues(0, 0, 1_000_000, 0, 1, 10);
        hitSpinner.setToolTipText("0: suspend at every hit; N: the first suspension is at the Nth hit");
        reasonCombo.addModifyListener(e -> validate());
        conditionText.addModifyListener(e -> validate());
        hitSpinner.addModifyListener(e -> validate());
        return area;
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        super.createButtonsForButtonBar(parent);
        validate();
    }

    private void validate() {
        reason = reasonCombo.getText().trim();
        condition = conditionText.getText().trim();
        hitCount = hitSpinner.getSelection();
        String problem = ExitReasonBreakpoint.validate(reason, condition, hitCount);
        setErrorMessage(problem);
        if (getButton(IDialogConstants.OK_ID) != null) {
            getButton(IDialogConstants.OK_ID).setEnabled(problem == null);
        }
    }

    public String reason() {
        return reason;
    }

    public String condition() {
        return condition;
    }

    public int hitCount() {
        return hitCount;
    }
}
