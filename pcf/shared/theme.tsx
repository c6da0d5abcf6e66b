/**
 * The Fluent v9 root of a control: the app's theme from `context.fluentDesignLanguage.tokenTheme` (model-driven apps
 * pass their theme there; platform-notes, PCF), Fluent's light theme when the host gives none.
 */
import * as React from 'react';
import { FluentProvider, webLightTheme, type Theme } from '@fluentui/react-components';

export interface ThemedRootProps {
  readonly theme?: Theme;
  readonly className?: string;
  readonly children?: React.ReactNode;
}

export function ThemedRoot({ theme, className, children }: ThemedRootProps): React.ReactElement {
  return (
    <FluentProvider theme={theme ?? webLightTheme} className={className} style={{ background: 'transparent' }}>
      {children}
    </FluentProvider>
  );
}

export function themeOf(context: { fluentDesignLanguage?: ComponentFramework.FluentDesignState }): Theme | undefined {
  return context.fluentDesignLanguage?.tokenTheme as Theme | undefined;
}
