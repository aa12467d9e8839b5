import { createTheme } from "@mantine/core";

/**
 * The theme. It must stay expressible in Mantine's static CSS (styles.css carries the default
 * theme's variables): the app runs under `style-src 'self'`, so MantineProvider is told not to
 * inject its <style> elements (withCssVariables / withGlobalClasses off), and components that
 * inject responsive <style> tags (AppShell, Grid, SimpleGrid, Flex, responsive style props)
 * are not used. Colours and sizes beyond the defaults go in ./overrides.css.
 */
export const theme = createTheme({});
