"""The browser tools: the forms' one declaration (:mod:`.forms`), which the pages and the readers share."""
