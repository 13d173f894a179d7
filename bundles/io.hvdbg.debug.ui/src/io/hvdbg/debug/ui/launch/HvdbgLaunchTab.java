/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.launch;

import org.eclipse.debug.ui.AbstractLaunchConfigurationTab;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

/**
 * What hvdbg's launch tabs share: labelled text fields and check boxes in a two-column grid
 * that mark the tab dirty and revalidate the dialog on every edit.
 */
abstract class HvdbgLaunchTab extends AbstractLaunchConfigurationTab {

    /** A label, then a single-line text field filling its column. */
    protected final Text textField(Composite parent, String label, String tip) {
        new Label(parent, SWT.NONE).setText(label);
        Text t = new Text(parent, SWT.BORDER | SWT.SINGLE);
        t.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        t.setToolTipText(tip);
        t.addModifyListener(e -> changed());
        return t;
    }

    /** A check box spanning both columns. */
    protected final Button checkBox(Composite parent, String text) {
        Button b = new Button(parent, SWT.CHECK);
        b.setText(text);
        b.setLayoutData(new GridData(SWT.BEGINNING, SWT.CENTER, false, false, 2, 1));
        b.addListener(SWT.Selection, e -> changed());
        return b;
    }

    /** An edit happened: the tab is dirty and the dialog revalidates. */
    protected final void changed() {
        setDirty(true);
        updateLaunchConfigurationDialog();
    }
}
