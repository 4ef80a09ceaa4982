// Walking the guided complaint form. `root` is a Page (standalone form) or a
// FrameLocator (the form inside the widget's iframe); both offer locator().

export const DESCRIPTION = 'เจ้าหน้าที่กองช่างเรียกเงินสามพันบาทเพื่อเร่งออกใบอนุญาต เมื่อวันที่ ๑๒ มีนาคม';

export async function formReady(root) {
  await root.locator('#step-next:not([disabled])').waitFor();
}

async function next(root, expectHeading) {
  await root.locator('#step-next').click();
  await root.locator(`#${expectHeading}:visible`).waitFor();
}

// Fills every step with a valid anonymous complaint, screenshots each step
// when shoot(name) is given, sends it, and returns {code, caseNumber}.
// files: what to choose on the evidence step (setInputFiles values).
// channel: the channel's id to choose when the agency has several (the
// first otherwise); with one channel the form asks nothing.
export async function fileComplaint(root, { shoot = async () => {}, files = [], channel = null } = {}) {
  await formReady(root);
  if (await root.locator('#channel-group').isVisible()) {
    const radio = channel ? root.locator(`input[name="channel"][value="${channel}"]`) : root.locator('#channel');
    await radio.check();
  }
  await shoot('step1-who');
  await root.locator('#subject-name').fill('นายช่าง ไม่ระบุ');
  await next(root, 'step-what-h');
  await root.locator('#category').selectOption('bribery');
  await root.locator('#description').fill(DESCRIPTION);
  await shoot('step2-what');
  await next(root, 'step-when-h');
  await root.locator('#location').fill('ที่ทำการ อบต.');
  await shoot('step3-when');
  // The server announces uploads (limits.upload_max_bytes): the evidence step follows.
  await next(root, 'step-evidence-h');
  if (files.length) {
    await root.locator('#evidence-files').setInputFiles(files);
    await root.locator('#evidence-list li').nth(files.length - 1).waitFor();
  }
  await shoot('step4-evidence');
  await next(root, 'step-identity-h');
  await shoot('step5-identity');
  await next(root, 'step-review-h');
  await root.locator('#accept-terms').check();
  await shoot('step6-review');
  await root.locator('#submit-report').click();
  const codeEl = root.locator('[data-testid=tracking-code]');
  await codeEl.waitFor();
  const code = (await codeEl.innerText()).replace(/\s+/g, '');
  const caseNumber = await root.locator('[data-testid=case-number]').innerText();
  await shoot('receipt');
  return { code, caseNumber };
}

// Looks the code up on the status page shown in root; returns the status element.
export async function checkStatus(root, code) {
  await root.locator('#submit-status:not([disabled])').waitFor();
  await root.locator('#tracking-code').fill(code);
  await root.locator('#submit-status').click();
  const status = root.locator('[data-testid=case-status]');
  await status.waitFor();
  return status;
}
