"""Reminders (đôn đốc): what is due for whom, sent as one e-mail digest per recipient and shown in the app.

items: what each unit and the secretariat must act on at a date (one source per reason);
digests: those items grouped per audience with the recipients' addresses;
log: what was sent to whom, and the repeat rule read back from it;
mail: the message itself and the SMTP conversation;
run: one reminder run (preview, send, log);
letters: the official reminder letter (công văn đôn đốc) in Word.
"""
