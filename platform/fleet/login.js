// SPDX-License-Identifier: GPL-3.0-or-later
// The login page: says so when the last attempt failed (?failed=1).
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  if (new URLSearchParams(location.search).get('failed') === '1')
    document.getElementById('failed').hidden = false;
  document.getElementById('name').focus();
});
