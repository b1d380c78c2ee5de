import { test } from '@playwright/test';

test('a spec to list', () => {});
